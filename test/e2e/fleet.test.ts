import assert from "node:assert/strict";

import { locationResourceName } from "../../provider/fleet";
import { runProgram, type RunResult, type StackState } from "../support/engine";
import { divergences, startSimulatedFleet, type FleetEntry, type SimulatedFleet } from "./simulatedFleet";

// The root Pulumi program, run end to end by the test engine against the simulator: the fleet file is the
// desired state, and each step below is what an operator does next. The steps build on each other, like a
// provider's acceptance test: each starts from the checkpoint the previous one left.

const locationResource = "pulumi-nodejs:dynamic/plume:PlumeLocationService";

function managedLocations(state: StackState): string[] {
  return state.resources
    .filter((resource) => resource.type === locationResource)
    .map((resource) => String(resource.id))
    .sort();
}

function assertSucceeded(result: RunResult): void {
  assert.deepEqual(result.errors, [], `${result.mode} failed:\n${result.stderr}`);
}

describe("a fleet of 50 locations managed end to end by the root program", function () {
  this.timeout(90_000);
  let fleet: SimulatedFleet;
  let desired: FleetEntry[];
  let state: StackState;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 10, locationsPerCustomer: 5 });
    desired = fleet.entries;
    fleet.writeFleet(desired);
  });

  after(() => fleet?.close());

  async function up(mode: "up" | "preview" | "refresh" | "destroy" = "up"): Promise<RunResult> {
    fleet.sim.resetCounters();
    const result = await runProgram(fleet.runOptions({ mode, ...(state ? { state } : {}) }));
    assertSucceeded(result);
    if (mode !== "preview") {
      state = result.state;
    }
    return result;
  }

  it("previews the first up of a new stack: 50 creates planned, not one API call", async () => {
    const result = await up("preview");

    assert.equal(result.counts.create, 50);
    assert.equal(fleet.sim.counters().apiCalls, 0);
    assert.deepEqual(result.state.resources, []);
  });

  it("stops before changing anything when the fleet file is invalid, naming the file, line and field", async () => {
    const broken = desired.map((entry, index) => (index === 3 ? { ...entry, profile: "premium" } : entry));
    fleet.writeFleet(broken as FleetEntry[]);
    fleet.sim.resetCounters();

    const result = await runProgram(fleet.runOptions());

    assert.equal(result.ok, false);
    assert.match(result.errors.join("\n"), /fleet\.yaml:\d+ locations\[3\]\.profile/);
    assert.deepEqual(result.steps, []);
    assert.equal(fleet.sim.counters().apiCalls, 0);
    fleet.writeFleet(desired);
  });

  it("adopts every location on the first up, with one PATCH per location", async () => {
    const result = await up();

    assert.equal(result.counts.create, 50);
    assert.deepEqual(divergences(fleet.sim, desired), []);
    assert.equal(fleet.sim.counters().patches, 50);
    assert.equal(managedLocations(state).length, 50);
    const summary = result.outputs.summary as { total: number; customers: number; byProfile: object };
    assert.deepEqual(
      { total: summary.total, customers: summary.customers, byProfile: summary.byProfile },
      { total: 50, customers: 10, byProfile: { auto: 30, smallbusiness: 20 } },
    );
  });

  it("makes no write, and no API call at all, when the fleet file did not change", async () => {
    const result = await up();

    assert.equal(result.counts.same, 50);
    assert.equal(fleet.sim.counters().patches, 0);
    assert.equal(fleet.sim.counters().apiCalls, 0);
  });

  it("previews a profile and serviceId edit without writing anything", async () => {
    desired = desired.map((entry, index) =>
      index === 1
        ? { ...entry, profile: "smallbusiness" }
        : index === 2
          ? { ...entry, serviceId: "SVC-moved" }
          : entry,
    );
    fleet.writeFleet(desired);

    const result = await up("preview");

    const updates = result.steps.filter((step) => step.op === "update");
    assert.deepEqual(updates.map((step) => step.changedKeys.join()).sort(), ["profile", "serviceId"]);
    assert.equal(result.counts.same, 48);
    assert.equal(fleet.sim.counters().patches, 0);
  });

  it("applies the profile and serviceId edits to exactly those locations", async () => {
    const result = await up();

    assert.equal(result.counts.update, 2);
    assert.equal(result.counts.same, 48);
    assert.equal(fleet.sim.counters().patches, 2);
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("puts a location removed from the fleet back on auto and stops managing it", async () => {
    const removed = desired[0];
    assert.equal(removed.profile, "smallbusiness");
    desired = desired.slice(1);
    fleet.writeFleet(desired);

    const result = await up();

    assert.equal(result.counts.delete, 1);
    assert.equal(fleet.sim.state.getLocation(removed.customerId, removed.locationId)?.profile, "auto");
    assert.ok(!managedLocations(state).includes(`${removed.customerId}/${removed.locationId}`));
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("shows drift made in Plume on refresh, and the next up puts the fleet's settings back", async () => {
    const [first, second] = [desired[0], desired[1]];
    fleet.sim.state.driftLocation(first.customerId, first.locationId, { profile: "auto" });
    fleet.sim.state.driftLocation(second.customerId, second.locationId, { serviceId: "EDITED-IN-UI" });
    assert.equal(divergences(fleet.sim, desired).length, 2);

    const refresh = await up("refresh");

    const drifted = refresh.steps.filter((step) => step.changedKeys.length > 0);
    assert.deepEqual(
      drifted.map((step) => step.id).sort(),
      [first, second].map((e) => `${e.customerId}/${e.locationId}`).sort(),
    );
    assert.equal(fleet.sim.counters().patches, 0);

    const fix = await up();

    assert.equal(fix.counts.update, 2);
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("puts every location back on auto on destroy", async () => {
    const result = await up("destroy");

    assert.equal(result.counts.delete, desired.length);
    const profiles = fleet.entries.map(
      (entry) => fleet.sim.state.getLocation(entry.customerId, entry.locationId)?.profile,
    );
    assert.deepEqual(new Set(profiles), new Set(["auto"]));
    assert.deepEqual(state.resources, []);
  });
});

describe("a location whose resource is renamed", function () {
  this.timeout(90_000);
  let fleet: SimulatedFleet;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 2 });
  });

  after(() => fleet?.close());

  it("keeps its settings: the old name's delete does not reset it to auto", async () => {
    const [location] = fleet.entries;
    assert.equal(location.profile, "smallbusiness");
    const named = await runProgram(
      fleet.runOptions({
        program: "test/e2e/fixtures/namedLocations/index.ts",
        config: { ...fleet.runOptions().config, "e2e:locations": [{ name: "smith-home", ...location }] },
      }),
    );
    assertSucceeded(named);
    fleet.writeFleet([location]);

    const renamed = await runProgram(fleet.runOptions({ state: named.state }));

    assertSucceeded(renamed);
    assert.deepEqual(
      renamed.steps.map((step) => `${step.op} ${step.name}`).sort(),
      [
        `create ${locationResourceName(location.customerId, location.locationId)}`,
        "delete smith-home",
      ].sort(),
    );
    assert.deepEqual(divergences(fleet.sim, [location]), []);
    assert.ok(renamed.logs.some((line) => /not resetting it/.test(line.message)));
  });
});
