import assert from "node:assert/strict";
import { SimulatorStateError } from "../../simulator";
import { ManualClock, oauthToken, send, useSimulator } from "./support";

describe("simulator: in-process state", () => {
  const clock = new ManualClock();
  const sim = useSimulator(() => ({
    now: clock.now,
    seed: { customers: [{ id: "c1", locations: [{ id: "l1" }] }] },
  }));
  const state = () => sim.current().state;

  it("generates complete locations with default profile auto, no serviceId and distinct secrets", () => {
    const first = state().addLocation("c1", { id: "l2" });
    const second = state().addLocation("c1");
    assert.equal(first.profile, "auto");
    assert.equal("serviceId" in first, false);
    assert.equal(first.partnerId, "sim-partner");
    assert.equal(first._version, 1);
    assert.match(second.id, /^[0-9a-f]{24}$/, "a generated id looks like a Plume ObjectId");
    assert.notEqual(first.backhaul.wpaKey, second.backhaul.wpaKey);
    assert.notEqual(first.wanSettings.pppoe.password, second.wanSettings.pppoe.password);
    assert.equal(first.createdAt, new Date(clock.time).toISOString());
  });

  it("lets seed data override any field, merging the secret holders so canaries can be planted", () => {
    const location = state().addLocation("c2", {
      id: "l9",
      name: "Canary",
      serviceId: "S-9",
      profile: "smallbusiness",
      region: "EU",
      backhaul: { wpaKey: "CANARY-WPA" },
      wanSettings: { pppoe: { password: "CANARY-PPP" } },
    });
    assert.equal(location.backhaul.wpaKey, "CANARY-WPA");
    assert.equal(location.backhaul.mode, "auto", "other backhaul fields stay");
    assert.equal(location.wanSettings.pppoe.password, "CANARY-PPP");
    assert.equal(location.wanSettings.mode, "dhcp");
    assert.equal(location.region, "EU");
    assert.equal(location.serviceId, "S-9");
    assert.equal(location.profile, "smallbusiness");
  });

  it("upserts on seed and replaces everything with replace: true", () => {
    const result = state().seed({
      customers: [
        { id: "c1", locations: [{ id: "l2" }] },
        { id: "c3", partnerId: "p3" },
      ],
    });
    assert.deepEqual(result, { customers: 2, locations: 1 });
    assert.deepEqual(
      state()
        .listLocations("c1")
        .map((l) => l.id),
      ["l1", "l2"],
    );
    assert.equal(state().partnerOf("c3"), "p3");
    state().seed({ customers: [{ id: "c4", locations: [{ id: "x" }] }] }, { replace: true });
    assert.deepEqual(state().size(), { customers: 1, locations: 1 });
    assert.equal(state().getLocation("c1", "l1"), undefined);
  });

  it("rejects invalid seed data with every problem and changes nothing", () => {
    assert.throws(
      () =>
        state().seed({
          customers: [
            { id: "", locations: [{ id: "ok" }] },
            {
              id: "c5",
              locations: [{ id: 7 as unknown as string, profile: "home", serviceId: 3 as unknown as string }],
            },
          ],
        }),
      (error: SimulatorStateError) => {
        assert.ok(error instanceof SimulatorStateError);
        assert.deepEqual(error.problems, [
          "customers[0].id must be a non-empty string",
          "customers[1].locations[0].id must be a non-empty string",
          "customers[1].locations[0].serviceId must be a string or null",
          "customers[1].locations[0].profile must be one of auto, smallbusiness, property",
        ]);
        return true;
      },
    );
    assert.throws(() => state().seed({} as never), /customers/);
    assert.deepEqual(state().size(), { customers: 1, locations: 1 });
  });

  it("drifts a location behind the client's back, visible over the API", async () => {
    clock.advance(60_000);
    const drifted = state().driftLocation("c1", "l1", {
      serviceId: "changed-in-ui",
      profile: "smallbusiness",
      id: "ignored",
    });
    assert.equal(drifted.id, "l1");
    assert.equal(drifted._version, 2);
    assert.equal(drifted.updatedAt, new Date(clock.time).toISOString());
    const token = await oauthToken(sim.current());
    const answer = await send(`${sim.current().url}/api/Customers/c1/locations/l1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.json.serviceId, "changed-in-ui");
    assert.equal(answer.json.profile, "smallbusiness");
    assert.throws(() => state().driftLocation("c1", "missing", {}), SimulatorStateError);
  });

  it("moves updatedAt forward even when the clock stands still", () => {
    const first = state().driftLocation("c1", "l1", { name: "a" });
    const second = state().driftLocation("c1", "l1", { name: "b" });
    assert.ok(Date.parse(second.updatedAt) > Date.parse(first.updatedAt));
  });

  it("deletes a location so the API answers 404 for it", async () => {
    assert.equal(state().deleteLocation("c1", "l1"), true);
    assert.equal(state().deleteLocation("c1", "l1"), false);
    const token = await oauthToken(sim.current());
    const answer = await send(`${sim.current().url}/api/Customers/c1/locations/l1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 404);
    assert.deepEqual(state().size(), { customers: 1, locations: 0 });
  });

  it("hands out copies that do not alias the stored state", () => {
    const copy = state().getLocation("c1", "l1")!;
    copy.serviceId = "mutated";
    copy.backhaul.wpaKey = "mutated";
    assert.equal(state().getLocation("c1", "l1")!.serviceId, undefined);
    const snapshot = state().snapshot();
    snapshot.customers[0]!.locations[0]!.name = "mutated";
    assert.notEqual(state().getLocation("c1", "l1")!.name, "mutated");
  });

  it("round-trips a snapshot through seed", () => {
    state().addLocation("c1", { id: "l2", serviceId: "S-2" });
    const snapshot = state().snapshot();
    state().clear();
    assert.deepEqual(state().size(), { customers: 0, locations: 0 });
    state().seed(snapshot);
    assert.deepEqual(state().snapshot(), snapshot);
  });

  it("generates a fleet with deterministic ids for benchmarks", () => {
    const fleet = state().generate({ customers: 3, locationsPerCustomer: 2 });
    assert.deepEqual(fleet.customers[2], { id: "sim-c3", locationIds: ["sim-c3l1", "sim-c3l2"] });
    assert.deepEqual(state().size(), { customers: 4, locations: 7 });
    assert.equal(state().getLocation("sim-c1", "sim-c1l2")!.name, "Location 1-2");
  });
});
