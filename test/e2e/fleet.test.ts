import assert from "node:assert/strict";

import type { StackRun, TestStack } from "../support/pulumiStack";
import {
  assertSucceeded,
  divergences,
  managedLocations,
  patchesSeen,
  startSimulatedFleet,
  type FleetEntry,
  type SimulatedFleet,
} from "./simulatedFleet";

// The root Pulumi program run by the real Pulumi CLI (Automation API, `file://` backend) against the
// simulator: the fleet file is the desired state, and each step below is what an operator does next. The
// steps build on each other, like a provider's acceptance test: each starts from the state the previous
// one left.

describe("a fleet of 12 locations managed by the root program through the real Pulumi CLI", function () {
  this.timeout(180_000);
  let fleet: SimulatedFleet;
  let desired: FleetEntry[];
  let stack: TestStack;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 4, locationsPerCustomer: 3 });
    desired = fleet.entries;
    fleet.writeFleet(desired);
    stack = await fleet.createStack();
  });

  after(async () => {
    stack?.dispose();
    await fleet?.close();
  });

  async function run(command: "up" | "preview" | "refresh" | "destroy"): Promise<StackRun> {
    fleet.sim.resetCounters();
    const result = await stack[command]();
    assertSucceeded(result);
    return result;
  }

  it("previews the first up of a new stack: 12 creates planned, the credentials verified by one token request, not one location call", async () => {
    const result = await run("preview");

    assert.equal(result.counts.create, 13, "12 locations and the stack");
    assert.equal(fleet.sim.counters().apiCalls, 0);
    assert.equal(fleet.sim.counters().tokenRequests, 1);
  });

  it("stops before changing anything when the fleet file is invalid, naming the file, line and field", async () => {
    const broken = desired.map((entry, index) => (index === 3 ? { ...entry, profile: "premium" } : entry));
    fleet.writeFleet(broken as FleetEntry[]);
    fleet.sim.resetCounters();

    const result = await stack.up();

    assert.equal(result.ok, false);
    assert.match(result.stdout + result.stderr, /fleet\.yaml:\d+ locations\[3\]\.profile/);
    assert.deepEqual(result.steps, []);
    assert.equal(fleet.sim.counters().apiCalls, 0);
    fleet.writeFleet(desired);
  });

  it("adopts every location on the first up, with one PATCH per location", async () => {
    const result = await run("up");

    assert.equal(result.counts.create, 12, "the failed up before recorded the stack itself");
    assert.deepEqual(divergences(fleet.sim, desired), []);
    assert.equal(fleet.sim.counters().patches, 12);
    assert.equal((await managedLocations(stack)).length, 12);
    const summary = result.outputs.summary as { total: number; customers: number; byProfile: object };
    assert.deepEqual(
      { total: summary.total, customers: summary.customers, byProfile: summary.byProfile },
      { total: 12, customers: 4, byProfile: { auto: 8, smallbusiness: 4 } },
    );
  });

  it("makes no write and no location call when the fleet file did not change: one token request verifies the credentials", async () => {
    const result = await run("up");

    assert.equal(result.counts.same, 13, "12 locations and the stack");
    assert.equal(fleet.sim.counters().apiCalls, 0);
    assert.equal(
      fleet.sim.counters().tokenRequests,
      1,
      "one provider process (the Automation API skips the preview)",
    );
  });

  it("previews a profile and serviceId edit without writing anything, naming the changed field", async () => {
    desired = desired.map((entry, index) =>
      index === 1
        ? { ...entry, profile: "smallbusiness" }
        : index === 2
          ? { ...entry, serviceId: "SVC-moved" }
          : entry,
    );
    fleet.writeFleet(desired);

    const result = await run("preview");

    const updates = result.steps.filter((step) => step.op === "update");
    assert.deepEqual(updates.map((step) => step.changedKeys.join()).sort(), ["profile", "serviceId"]);
    assert.equal(result.counts.update, 2);
    assert.equal(fleet.sim.counters().apiCalls, 0);
  });

  it("applies the profile and serviceId edits to exactly those locations", async () => {
    const result = await run("up");

    assert.equal(result.counts.update, 2);
    assert.equal(fleet.sim.counters().patches, 2);
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("puts a location removed from the fleet back on auto, sending its serviceId, and stops managing it", async () => {
    const removed = desired[0];
    assert.equal(removed.profile, "smallbusiness");
    desired = desired.slice(1);
    fleet.writeFleet(desired);

    const result = await run("up");

    assert.equal(result.counts.delete, 1);
    const location = fleet.sim.state.getLocation(removed.customerId, removed.locationId);
    assert.equal(location?.profile, "auto");
    assert.equal(location?.serviceId, removed.serviceId);
    assert.deepEqual(patchesSeen(fleet), [
      {
        path: `/api/Customers/${removed.customerId}/locations/${removed.locationId}`,
        body: { serviceId: removed.serviceId, profile: "auto" },
      },
    ]);
    assert.ok(!(await managedLocations(stack)).includes(`${removed.customerId}/${removed.locationId}`));
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("shows drift made in Plume on refresh without writing, and `up --refresh` puts the fleet's settings back", async () => {
    const [first, second] = [desired[0], desired[1]];
    fleet.sim.state.driftLocation(first.customerId, first.locationId, { profile: "auto" });
    fleet.sim.state.driftLocation(second.customerId, second.locationId, { serviceId: "EDITED-IN-UI" });
    assert.equal(divergences(fleet.sim, desired).length, 2);

    const refresh = await run("refresh");

    const drifted = refresh.steps.filter((step) => step.op === "update");
    assert.deepEqual(
      drifted.map((step) => step.id).sort(),
      [first, second].map((e) => `${e.customerId}/${e.locationId}`).sort(),
    );
    assert.equal(fleet.sim.counters().patches, 0);

    const third = desired[2];
    fleet.sim.state.driftLocation(third.customerId, third.locationId, { serviceId: "EDITED-AGAIN" });
    fleet.sim.resetCounters();
    const fix = await stack.up({ refresh: true });

    assertSucceeded(fix);
    assert.equal(fix.counts.update, 3, "the two drifts the refresh recorded and one made since");
    assert.equal(fleet.sim.counters().patches, 3);
    assert.deepEqual(divergences(fleet.sim, desired), []);
  });

  it("puts every location back on auto on destroy, and the state is empty", async () => {
    const result = await run("destroy");

    assert.equal(result.counts.delete, desired.length + 1, "the locations and the stack");
    const profiles = fleet.entries.map(
      (entry) => fleet.sim.state.getLocation(entry.customerId, entry.locationId)?.profile,
    );
    assert.deepEqual(new Set(profiles), new Set(["auto"]));
    assert.deepEqual(await managedLocations(stack), []);
  });
});
