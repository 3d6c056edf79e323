import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { once } from "node:events";

import type { TestStack } from "../support/pulumiStack";
import {
  assertSucceeded,
  divergences,
  managedLocations,
  startSimulatedFleet,
  type SimulatedFleet,
} from "./simulatedFleet";

// The Pulumi CLI killed with SIGKILL in the middle of an up (a CI runner lost, an OOM kill): the state keeps
// the operations that were under way as pending, and the operator's next commands must converge without
// losing a location or resetting one that should not be.

/** Resolves once `condition()` (a simulator counter) holds. */
function whenSimulator(condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      clearInterval(poll);
      reject(new Error("the simulator never saw what the test waited for"));
    }, 120_000);
    const poll = setInterval(() => {
      if (!condition()) return;
      clearInterval(poll);
      clearTimeout(deadline);
      resolve();
    }, 20);
  });
}

/**
 * `pid` and every process below it. Pulumi starts its plugins (language host, provider host) in process
 * groups of their own, so killing the CLI's group would leave them running, as a lost machine would not.
 */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const line of execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" }).split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(child) || !Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(children.get(tree[index]) ?? []));
  return tree;
}

describe("the Pulumi CLI killed mid-up", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 6 });
    fleet.writeFleet(fleet.entries);
    stack = await fleet.createStack();
  });

  after(async () => {
    stack?.dispose();
    await fleet?.close();
  });

  it("leaves the stack locked with pending creates; `cancel`, `refresh --clear-pending-creates` and an up converge", async () => {
    // Plume holds every PATCH while the whole CLI process group (engine, language host, program, provider
    // host) is killed, as a lost CI runner would be.
    fleet.sim.faults.stallNext(fleet.entries.length, 600_000, { method: "PATCH" });
    const child = await stack.spawnCli(["up", "--yes", "--skip-preview"]);
    await whenSimulator(() => fleet.sim.counters().stalls >= 1);
    const exited = once(child, "exit");
    for (const pid of processTree(child.pid!)) process.kill(pid, "SIGKILL");
    await exited;
    fleet.sim.faults.clear();

    const pending = await stack.pendingOperations();
    assert.ok(pending.length >= 1, "the kill left at least one pending create");
    assert.ok(pending.every((operation) => operation.type === "creating"));

    const locked = await stack.up();
    assert.equal(locked.ok, false);
    assert.match(locked.stderr, /the stack is currently locked/);

    await stack.stack.cancel();
    const refreshed = await stack.refresh({ clearPendingCreates: true });
    assertSucceeded(refreshed);
    assert.deepEqual(await stack.pendingOperations(), []);

    const rerun = await stack.up();

    assertSucceeded(rerun);
    assert.deepEqual(divergences(fleet.sim, fleet.entries), []);
    assert.equal((await managedLocations(stack)).length, fleet.entries.length);
  });
});
