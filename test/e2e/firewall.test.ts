import assert from "node:assert/strict";

import type { TestStack } from "../support/pulumiStack";
import { assertSucceeded, startSimulatedFleet, type SimulatedFleet } from "./simulatedFleet";

// `pulumi refresh --yes` runs a preview in its own plugin processes before the refresh itself, and a refresh
// preview reads every location for real: twice the calls, from two processes. Here the fleet is larger than
// half the firewall's window, so the two would exceed it together if their limiters did not share the
// machine's budget (provider/client/sharedBudget.ts).

const LOCATIONS = 30;
const FIREWALL = { limit: 40, windowMs: 20_000 };

describe("a refresh of a fleet larger than half the firewall window", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: LOCATIONS });
    fleet.writeFleet(fleet.entries);
    stack = await fleet.createStack({
      config: {
        // What one process may send: just under the firewall's limit.
        "plume:windowLimit": String(FIREWALL.limit - 4),
        "plume:windowMs": String(FIREWALL.windowMs),
      },
    });
    assertSucceeded(await stack.up());
    fleet.sim.faults.setFirewall(FIREWALL);
  });

  after(async () => {
    stack?.dispose();
    await fleet?.close();
  });

  beforeEach(() => {
    // A fresh window for each case: the firewall's clock moves past everything counted so far.
    fleet.sim.advanceClock(FIREWALL.windowMs + 1);
    fleet.sim.resetCounters();
  });

  it("reads each location once and stays under the firewall with --skip-preview, as npm run refresh does", async () => {
    const refreshed = await stack.cli(["refresh", "--yes", "--skip-preview"]);

    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.equal(fleet.sim.counters().gets, LOCATIONS);
    assert.equal(fleet.sim.counters().firewallRejections, 0);
  });

  it("reads every location twice with a preview, and the two processes together stay under the firewall", async () => {
    const refreshed = await stack.cli(["refresh", "--yes"]);

    assert.equal(refreshed.code, 0, refreshed.stderr);
    assert.doesNotMatch(refreshed.stdout, /failed/);
    assert.equal(fleet.sim.counters().gets, 2 * LOCATIONS, "the preview's reads and the refresh's");
    assert.equal(fleet.sim.counters().firewallRejections, 0);
  });
});
