import assert from "node:assert/strict";

import type { TestStack } from "../support/pulumiStack";
import {
  assertSucceeded,
  divergences,
  locationUrn,
  managedLocations,
  patchesSeen,
  startSimulatedFleet,
  type FleetEntry,
  type SimulatedFleet,
} from "./simulatedFleet";

// What operators do beyond the everyday up, each through the real Pulumi CLI against the simulator, on the
// fixture program that declares locations under names given in stack config.

const NAMED_PROGRAM = "test/e2e/fixtures/namedLocations/index.ts";

type Named = Partial<FleetEntry> & { name: string; serviceIdFrom?: string };

describe("operations through the real Pulumi CLI", function () {
  this.timeout(180_000);
  let fleet: SimulatedFleet;
  let stack: TestStack | undefined;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 2, locationsPerCustomer: 3 });
  });

  afterEach(() => {
    stack?.dispose();
    stack = undefined;
  });

  after(() => fleet?.close());

  async function namedStack(locations: Named[]): Promise<TestStack> {
    stack = await fleet.createStack({ program: NAMED_PROGRAM });
    await declare(stack, locations);
    return stack;
  }

  function declare(target: TestStack, locations: Named[]): Promise<void> {
    return target.setConfig({ "e2e:locations": JSON.stringify(locations) });
  }

  it("previews a new stack whose serviceId comes from another resource's output: unknown, planned, no location call", async () => {
    const [a, b] = fleet.entries;
    const target = await namedStack([
      { name: "a", ...a },
      { name: "b", customerId: b.customerId, locationId: b.locationId, serviceIdFrom: "a" },
    ]);
    fleet.sim.resetCounters();

    const preview = await target.preview();

    assertSucceeded(preview);
    assert.equal(preview.counts.create, 3, "two locations and the stack");
    assert.equal(fleet.sim.counters().apiCalls, 0);
    assert.equal(fleet.sim.counters().tokenRequests, 1, "the credentials verified once");

    const up = await target.up();

    assertSucceeded(up);
    assert.equal(fleet.sim.state.getLocation(b.customerId, b.locationId)?.serviceId, `${a.serviceId}-2`);
  });

  it("replaces a resource whose locationId changes: the old location is reset before the new one is set", async () => {
    const [a, b] = fleet.entries;
    const target = await namedStack([{ name: "moving", ...a, profile: "smallbusiness" }]);
    assertSucceeded(await target.up());
    await declare(target, [{ name: "moving", ...b, locationId: b.locationId, profile: "smallbusiness" }]);
    fleet.sim.resetCounters();

    const preview = await target.preview();
    assertSucceeded(preview);
    const planned = preview.steps.filter((step) => step.name === "moving").map((step) => step.op);
    assert.ok(
      planned.indexOf("delete-replaced") < planned.indexOf("create-replacement"),
      `delete before replace: ${planned.join(", ")}`,
    );

    const replaced = await target.up();

    assertSucceeded(replaced);
    assert.equal(replaced.counts.replace, 1);
    assert.deepEqual(
      patchesSeen(fleet).map((patch) => patch.path),
      [
        `/api/Customers/${a.customerId}/locations/${a.locationId}`,
        `/api/Customers/${b.customerId}/locations/${b.locationId}`,
      ],
      "delete before replace: the old location's reset comes first",
    );
    assert.equal(fleet.sim.state.getLocation(a.customerId, a.locationId)?.profile, "auto");
    assert.equal(fleet.sim.state.getLocation(b.customerId, b.locationId)?.profile, "smallbusiness");
  });

  it("`up --replace` writes the location's settings again without a reset in between", async () => {
    const [a] = fleet.entries;
    const target = await namedStack([{ name: "again", ...a, profile: "smallbusiness" }]);
    assertSucceeded(await target.up());
    fleet.sim.resetCounters();

    const replaced = await target.up({ replace: [locationUrn("again")] });

    assertSucceeded(replaced);
    assert.equal(replaced.counts.replace, 1);
    // The replacement is created first; the old resource's delete then finds the location written by this
    // deployment (the same-location guard) and leaves it as it is.
    assert.deepEqual(
      patchesSeen(fleet).map((patch) => (patch.body as { profile: string }).profile),
      ["smallbusiness"],
    );
    assert.equal(fleet.sim.state.getLocation(a.customerId, a.locationId)?.profile, "smallbusiness");
  });

  it("fails a create that Plume refuses, keeps the others, and the rerun converges", async () => {
    const [a, b] = fleet.entries;
    const target = await namedStack([
      { name: "a", ...a },
      { name: "b", ...b },
    ]);
    fleet.sim.faults.failNext(1, 422, {
      method: "PATCH",
      path: `/api/Customers/${b.customerId}/locations/${b.locationId}`,
    });

    const failed = await target.up();

    assert.equal(failed.ok, false);
    assert.match(failed.stdout + failed.stderr, new RegExp(`${b.customerId}/${b.locationId}`));
    assert.deepEqual(await managedLocations(target), [`${a.customerId}/${a.locationId}`]);

    const rerun = await target.up();

    assertSucceeded(rerun);
    assert.equal(rerun.counts.create, 1);
    assert.deepEqual(divergences(fleet.sim, [a, b]), []);
  });
});
