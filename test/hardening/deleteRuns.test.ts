// Delete safety end to end: a location removed from the fleet whose delete fails stays in state, so the next
// run retries the delete; nothing is forgotten and nothing is reset that should not be.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator } from "../../simulator";
import type { TestStack } from "../support/pulumiStack";
import { type DesiredLocation, writeYamlFleet } from "./fleets";
import {
  CUSTOMER,
  createFleetStack,
  FAIL_FAST_TUNING,
  locationId,
  locationPath,
  resourceId,
  startCanarySimulator,
} from "./support";

describe("a failed delete through the real Pulumi CLI", function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let workDir: string;
  let stack: TestStack | undefined;

  before(async function () {
    sim = await startCanarySimulator(3);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-delete-runs-"));
  });

  after(async function () {
    stack?.dispose();
    await sim?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("keeps a removed location in state while its delete fails, and the next run deletes it", async function () {
    const fleet: DesiredLocation[] = [0, 1, 2].map((index) => ({
      index,
      serviceId: `SVC-KEEP-${index}`,
      profile: "smallbusiness",
    }));
    const fleetFile = writeYamlFleet(path.join(workDir, "fleet.yaml"), fleet);
    stack = await createFleetStack(sim, fleetFile, FAIL_FAST_TUNING);
    const deployed = await stack.up();
    assert.equal(deployed.ok, true, deployed.stderr);
    const urnOf = async (index: number) =>
      (await stack!.resources()).find((resource) => resource.id === resourceId(index))?.urn;
    const urn = await urnOf(2);
    assert.ok(urn);

    // Location 2 leaves the fleet while Plume answers 500 for it.
    writeYamlFleet(fleetFile, fleet.slice(0, 2));
    sim.faults.failNext(1000, 500, { path: locationPath(2) });
    const failed = await stack.up();
    sim.faults.clear();

    assert.equal(failed.ok, false);
    assert.ok(failed.stdout.includes(resourceId(2)), failed.stdout);
    assert.equal(await urnOf(2), urn, "the resource left the state");
    assert.equal(sim.state.getLocation(CUSTOMER, locationId(2))?.profile, "smallbusiness");

    const retried = await stack.up();

    assert.equal(retried.ok, true, retried.stderr);
    assert.equal(retried.counts.delete, 1);
    assert.equal(await urnOf(2), undefined);
    assert.deepEqual(
      [0, 1, 2].map((index) => sim.state.getLocation(CUSTOMER, locationId(index))?.profile),
      ["smallbusiness", "smallbusiness", "auto"],
    );
  });
});
