import assert from "node:assert/strict";

import { locationResourceName } from "../../provider/fleet";
import type { StackRun, TestStack } from "../support/pulumiStack";
import {
  assertSucceeded,
  divergences,
  locationUrn,
  managedLocations,
  patchesSeen,
  startSimulatedFleet,
  type SimulatedFleet,
} from "./simulatedFleet";

// `--target` and `--exclude` around a rename. The engine gives resources outside the target no Check, so the
// same-location guard only knows what the targeted run touched. The safe sequences operators use, each through
// the real CLI: create the new name alone first (`--target` it, or `--exclude` the old name), and let a full
// `up` retire the old name; or forget the old name with `pulumi state delete`, which never calls Plume.

/** What a run changed, as "op name" lines. */
const changes = (run: StackRun) =>
  run.steps.filter((step) => step.op !== "same").map((step) => `${step.op} ${step.name}`);

describe("a rename applied in steps with --target and --exclude", function () {
  this.timeout(240_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 3 });
  });

  after(async () => {
    stack?.dispose();
    await fleet?.close();
  });

  it("creates the new names with --target and --exclude, then a full up retires the old ones without a reset", async () => {
    const [first, second] = fleet.entries;
    stack = await fleet.createStack({ program: "test/e2e/fixtures/namedLocations/index.ts" });
    await stack.setConfig({
      "e2e:locations": JSON.stringify([
        { name: "old-first", ...first },
        { name: "old-second", ...second },
      ]),
    });
    assertSucceeded(await stack.up());
    stack.useProgram("program/index.ts");
    fleet.writeFleet([first, second]);
    const [newFirst, newSecond] = [first, second].map((entry) =>
      locationResourceName(entry.customerId, entry.locationId),
    );

    fleet.sim.resetCounters();
    const targeted = await stack.up({ target: [locationUrn(newFirst)] });
    assertSucceeded(targeted);
    assert.deepEqual(changes(targeted), [`create ${newFirst}`]);

    const excluded = await stack.up({ exclude: [locationUrn("old-second")] });
    assertSucceeded(excluded);
    assert.deepEqual(
      changes(excluded).sort(),
      [`create ${newSecond}`, "delete old-first"].sort(),
      "old-first leaves: newFirst, already created and checked, guards its location",
    );

    const full = await stack.up();
    assertSucceeded(full);
    assert.deepEqual(changes(full), ["delete old-second"]);
    assert.equal(
      patchesSeen(fleet).length,
      2,
      "the two creates; the old names' deletes left the locations alone",
    );
    assert.deepEqual(divergences(fleet.sim, [first, second]), []);
    assert.deepEqual(
      await managedLocations(stack),
      [first, second].map((entry) => `${entry.customerId}/${entry.locationId}`).sort(),
    );
  });
});
