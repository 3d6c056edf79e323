import assert from "node:assert/strict";
import { join } from "node:path";

import { fleetCli, simulatorEnv } from "../fleetCli/cliHarness";
import type { TestStack } from "../support/pulumiStack";
import { assertSucceeded, patchesSeen, startSimulatedFleet, type SimulatedFleet } from "./simulatedFleet";

// Adopting a live fleet, as docs/fleet.md tells an operator to: `plume-fleet export` writes the fleet file of
// Plume as it is, `validate` accepts it, and the first real `pulumi up` of it changes no location in Plume.
describe("a live fleet of 1,000 locations adopted with plume-fleet export and the real Pulumi CLI", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;
  let original: Map<string, { serviceId?: string; profile?: string }>;
  const fleetFile = () => join(fleet.workDir, "fleet.yaml");

  // Every location as Plume holds it: serviceId and profile, by `customerId/locationId`.
  function plumeAsItIs(): Map<string, { serviceId?: string; profile?: string }> {
    const state = new Map<string, { serviceId?: string; profile?: string }>();
    for (const entry of fleet.entries) {
      const location = fleet.sim.state.getLocation(entry.customerId, entry.locationId);
      state.set(`${entry.customerId}/${entry.locationId}`, {
        serviceId: location?.serviceId ?? undefined,
        profile: location?.profile,
      });
    }
    return state;
  }

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 200, locationsPerCustomer: 5 });
    // Live values set in Plume's portal over the years; every 100th location was never given a serviceId.
    fleet.entries.forEach((entry, index) => {
      if (index % 100 !== 99) {
        fleet.sim.state.driftLocation(entry.customerId, entry.locationId, {
          serviceId: entry.serviceId,
          profile: entry.profile,
        });
      }
    });
    original = plumeAsItIs();
  });

  after(async () => {
    stack?.dispose();
    await fleet?.close();
  });

  it("exports the 990 locations that have a serviceId and lists the 10 without one", async () => {
    const customers = [...new Set(fleet.entries.map((entry) => entry.customerId))].join(",");
    fleet.sim.resetCounters();

    const run = await fleetCli(["export", "--customers", customers, "--output", fleetFile(), "--json"], {
      cwd: fleet.workDir,
      env: simulatorEnv(fleet.sim),
    });

    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { locations: number; withoutServiceId: unknown[] };
    assert.equal(report.locations, 990);
    assert.equal(report.withoutServiceId.length, 10);
    assert.equal(fleet.sim.counters().apiCalls, 200, "one list per customer");
  });

  it("writes a file that validate accepts", async () => {
    const run = await fleetCli(["validate", fleetFile()], { cwd: fleet.workDir });

    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /990 locations, valid/);
  });

  it("adopts every exported location on the first pulumi up without changing any of them in Plume", async () => {
    // The state is written once at the end rather than after each of the 990 steps (a file backend rewrites
    // the whole checkpoint each time): the test is about Plume, not about Pulumi's checkpoints.
    stack = await fleet.createStack({ env: { PULUMI_SKIP_CHECKPOINTS: "true" } });
    fleet.sim.resetCounters();

    const result = await stack.up();

    assertSucceeded(result);
    assert.equal(result.counts.create, 991, "990 locations and the stack");
    const patches = patchesSeen(fleet);
    assert.equal(patches.length, 990, "each adoption PATCHes the values the location already has");
    assert.deepEqual(plumeAsItIs(), original);
  });

  it("then plans no change against Plume and exits 0", async () => {
    const run = await fleetCli(["plan", fleetFile()], { cwd: fleet.workDir, env: simulatorEnv(fleet.sim) });

    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Plan: 0 to change, 0 missing in Plume, 990 unchanged/m);
  });
});
