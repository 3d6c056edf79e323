// Delete safety end to end: a location removed from the fleet whose delete fails stays in state, so the next
// run retries the delete; nothing is forgotten and nothing is reset that should not be.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator } from "../../simulator";
import { runProgram } from "../support/engine";
import { REPO_ROOT } from "../support/providerHost";
import { type DesiredLocation, writeYamlFleet } from "./fleets";
import {
  CUSTOMER,
  FAIL_FAST_TUNING,
  locationId,
  locationPath,
  oauthStackConfig,
  resourceId,
  startCanarySimulator,
} from "./support";

describe("a failed delete through the engine", function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let workDir: string;

  before(async function () {
    sim = await startCanarySimulator(3);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-delete-runs-"));
  });

  after(async function () {
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
    const options = {
      projectDir: REPO_ROOT,
      config: { "fleet:file": fleetFile, ...oauthStackConfig(sim, FAIL_FAST_TUNING) },
      secretConfigKeys: ["plume:clientSecret"],
    };
    const deployed = await runProgram(options);
    assert.deepEqual(deployed.errors, []);
    const urnOf = (index: number) =>
      deployed.state.resources.find((resource) => resource.id === resourceId(index))?.urn;
    assert.ok(urnOf(2));

    // Location 2 leaves the fleet while Plume answers 500 for it.
    writeYamlFleet(fleetFile, fleet.slice(0, 2));
    sim.faults.failNext(1000, 500, { path: locationPath(2) });
    const failed = await runProgram({ ...options, state: deployed.state });
    sim.faults.clear();

    assert.equal(failed.ok, false);
    assert.ok(
      failed.errors.some((error) => error.includes(resourceId(2))),
      failed.errors.join("\n"),
    );
    assert.ok(
      failed.state.resources.some((resource) => resource.urn === urnOf(2)),
      "the resource left the state",
    );
    assert.equal(sim.state.getLocation(CUSTOMER, locationId(2))?.profile, "smallbusiness");

    const retried = await runProgram({ ...options, state: failed.state });

    assert.deepEqual(retried.errors, []);
    assert.equal(retried.counts.delete, 1);
    assert.ok(!retried.state.resources.some((resource) => resource.urn === urnOf(2)));
    assert.deepEqual(
      [0, 1, 2].map((index) => sim.state.getLocation(CUSTOMER, locationId(index))?.profile),
      ["smallbusiness", "smallbusiness", "auto"],
    );
  });
});
