import assert from "node:assert/strict";
import { ManualClock, oauthToken, send, useSimulator, type SendOptions } from "./support";

describe("simulator: /__sim/ control surface", () => {
  const clock = new ManualClock();
  const sim = useSimulator(() => ({
    now: clock.now,
    firewall: { limit: 3, windowMs: 60_000 },
    seed: { customers: [{ id: "c1", locations: [{ id: "l1", name: "Home" }] }] },
  }));
  const control = (path: string, options: SendOptions = {}) =>
    send(`${sim.current().controlUrl}${path}`, options);
  const post = (path: string, body?: unknown) => control(path, { method: "POST", body });
  const getLocation = async (token: string) =>
    send(`${sim.current().url}/api/Customers/c1/locations/l1`, {
      headers: { authorization: `Bearer ${token}` },
    });

  it("describes itself: URLs and default credentials", async () => {
    const answer = await control("");
    assert.equal(answer.status, 200);
    assert.equal(answer.json.url, sim.current().url);
    assert.equal(answer.json.tokenUrl, sim.current().tokenUrl);
    assert.deepEqual(answer.json.credentials, sim.current().credentials);
    assert.deepEqual(answer.json.size, { customers: 1, locations: 1 });
  });

  it("seeds customers and locations, merging or replacing", async () => {
    const merged = await post("/seed", { customers: [{ id: "c2", locations: [{ id: "a" }, { id: "b" }] }] });
    assert.deepEqual(merged.json, { customers: 2, locations: 3 });
    const replaced = await post("/seed?replace=true", {
      customers: [{ id: "c3", locations: [{ id: "x" }] }],
    });
    assert.deepEqual(replaced.json, { customers: 1, locations: 1 });
    const alsoReplaced = await post("/seed", { replace: true, customers: [{ id: "c4" }] });
    assert.deepEqual(alsoReplaced.json, { customers: 1, locations: 0 });
  });

  it("rejects bad seed data with every problem listed", async () => {
    const answer = await post("/seed", {
      customers: [{ id: 1 }, { id: "ok", locations: [{ profile: "x" }] }],
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.problems.length, 2);
    assert.equal((await post("/seed", "not json")).status, 400);
    assert.deepEqual(sim.current().state.size(), { customers: 1, locations: 1 });
  });

  it("generates a fleet", async () => {
    const answer = await post("/generate", { customers: 2, locationsPerCustomer: 3 });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.customers.length, 2);
    assert.deepEqual(sim.current().state.size(), { customers: 3, locations: 7 });
  });

  it("reads the whole state, a customer's locations and one location, secrets included", async () => {
    const state = await control("/state");
    assert.equal(state.json.customers[0].locations[0].id, "l1");
    assert.equal(typeof state.json.customers[0].locations[0].backhaul.wpaKey, "string");
    assert.equal((await control("/customers/c1/locations")).json.length, 1);
    assert.equal((await control("/customers/c1/locations/l1")).json.name, "Home");
    assert.equal((await control("/customers/c1/locations/zz")).status, 404);
  });

  it("drifts a location", async () => {
    const answer = await post("/drift", {
      customerId: "c1",
      locationId: "l1",
      patch: { serviceId: "drifted" },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.serviceId, "drifted");
    assert.equal(sim.current().state.getLocation("c1", "l1")!.serviceId, "drifted");
    assert.equal((await post("/drift", { customerId: "c1" })).status, 400);
    assert.equal((await post("/drift", { customerId: "c1", locationId: "nope", patch: {} })).status, 404);
  });

  it("deletes a location", async () => {
    assert.equal((await control("/customers/c1/locations/l1", { method: "DELETE" })).status, 200);
    assert.equal(sim.current().state.getLocation("c1", "l1"), undefined);
    assert.equal((await control("/customers/c1/locations/l1", { method: "DELETE" })).status, 404);
  });

  it("sets fault switches, reports them, and clears them", async () => {
    const token = await oauthToken(sim.current());
    const set = await post("/faults", {
      latency: { fixedMs: 1, jitterMs: 2 },
      random5xxRate: 0,
      firewall: { limit: 100 },
      failNext: { count: 1, status: 503, path: "/api/Customers/c1", body: "html", retryAfterSeconds: 2 },
      resetNextConnections: { count: 1, pathPattern: "^/api/Customers/c9" },
      stallNext: { count: 1, ms: 5, method: "PATCH" },
    });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.json.status.latency, { fixedMs: 1, jitterMs: 2 });
    assert.equal(set.json.status.firewall.limit, 100);
    assert.equal(set.json.status.pendingResets, 1);
    const failed = await getLocation(token);
    assert.equal(failed.status, 503);
    assert.equal(failed.headers["retry-after"], "2");
    assert.equal((await getLocation(token)).status, 200);
    await assert.rejects(send(`${sim.current().url}/api/Customers/c9/locations`));

    const status = await control("/faults");
    assert.equal(status.json.pendingStalls.length, 1);
    const cleared = await post("/faults", { clear: true });
    assert.deepEqual(cleared.json.status.pendingStalls, []);
    assert.equal(cleared.json.status.firewall.limit, 3);
  });

  it("changes nothing when any part of a fault request is invalid", async () => {
    const answer = await post("/faults", { latency: { fixedMs: 50 }, failNext: { count: 0, status: 500 } });
    assert.equal(answer.status, 400);
    assert.match(answer.json.error, /count/);
    assert.deepEqual(sim.current().faults.status().latency, { fixedMs: 0, jitterMs: 0 });
    for (const bad of [[], { random5xxRate: 3 }, { stallNext: null }, { firewall: { limit: -1 } }]) {
      assert.equal((await post("/faults", bad)).status, 400, JSON.stringify(bad));
    }
  });

  it("revokes every token", async () => {
    const token = await oauthToken(sim.current());
    assert.deepEqual((await post("/revoke-tokens")).json, { revoked: 1 });
    assert.equal((await getLocation(token)).status, 401);
    const viaFaults = await post("/faults", { revokeTokens: true });
    assert.equal(viaFaults.json.revoked, 0);
  });

  it("serves the request log, counters, call times, and resets them", async () => {
    const token = await oauthToken(sim.current());
    await getLocation(token);
    await getLocation(token);
    const log = await control("/requests");
    assert.equal(log.json.length, 3);
    assert.equal(log.json[1].authScheme, "bearer");
    assert.deepEqual(
      (await control("/requests?limit=1")).json.map((entry: { path: string }) => entry.path),
      ["/api/Customers/c1/locations/l1"],
    );
    assert.equal((await control("/requests?limit=x")).status, 400);
    const counters = await control("/counters");
    assert.equal(counters.json.gets, 2);
    assert.equal(counters.json.tokenRequests, 1);
    const times = await control("/call-times");
    assert.equal(times.json.accepted.length, 2);
    assert.deepEqual(times.json.firewall, { limit: 3, windowMs: 60_000 });
    const reset = await post("/counters/reset");
    assert.equal(reset.json.gets, 0);
    assert.deepEqual((await control("/requests")).json, []);
  });

  it("advances the clock, expiring tokens and freeing the firewall window", async () => {
    const token = await oauthToken(sim.current());
    for (let i = 0; i < 3; i += 1) assert.equal((await getLocation(token)).status, 200);
    assert.equal((await getLocation(token)).status, 403);
    const moved = await post("/clock", { advanceMs: 60_000 });
    assert.equal(moved.status, 200);
    assert.equal(moved.json.now, clock.time + 60_000, "the clock runs a minute ahead");
    assert.equal((await getLocation(await oauthToken(sim.current()))).status, 200);
    await post("/clock", { advanceMs: 600_000 });
    assert.equal((await getLocation(token)).status, 401);
    assert.equal((await post("/clock", {})).status, 400);
    assert.equal((await post("/clock", { advanceMs: -5 })).status, 400);
  });

  it("is not logged, counted or firewalled", async () => {
    for (let i = 0; i < 10; i += 1) assert.equal((await control("/counters")).status, 200);
    assert.equal(sim.current().counters().apiCalls, 0);
    assert.deepEqual(sim.current().requestLog(), []);
  });

  it("answers 404 with a pointer to the docs for an unknown route", async () => {
    const answer = await control("/nope");
    assert.equal(answer.status, 404);
    assert.match(answer.json.error, /docs\/simulator\.md/);
    assert.equal((await control("/seed")).status, 404, "GET on a POST route");
    assert.equal((await control("/customers/%E0%A4%A/locations")).status, 400, "a malformed escape");
  });
});
