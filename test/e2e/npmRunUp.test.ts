import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { loadFleet } from "../../provider/fleet";
import { runFleetCommand, type FleetCommand } from "../../scripts/fleetCommand";
import type { RunningSimulator } from "../../simulator";
import { pulumiCommand, repoRoot } from "../support/pulumiStack";

// The README's first commands, for real: `npm run up`, again, then `npm run destroy`, on a copy of the
// repository's root project (Pulumi.yaml, fleet.yaml with 50 locations) with the pinned Pulumi CLI.

describe("npm run up and npm run destroy with the real Pulumi CLI", function () {
  this.timeout(300_000);
  let projectRoot: string;
  let simulator: RunningSimulator | undefined;
  const fleet = loadFleet(join(repoRoot, "fleet.yaml"));

  before(async () => {
    await pulumiCommand();
    projectRoot = mkdtempSync(join(tmpdir(), "plume-npm-run-"));
    for (const file of ["Pulumi.yaml", "fleet.yaml"])
      copyFileSync(join(repoRoot, file), join(projectRoot, file));
    for (const entry of ["program", "provider", "node_modules", "package.json", "tsconfig.json"]) {
      symlinkSync(join(repoRoot, entry), join(projectRoot, entry));
    }
  });

  after(() => rmSync(projectRoot, { recursive: true, force: true }));

  async function npmRun(command: FleetCommand): Promise<{ code: number; output: string; patches: number }> {
    let output = "";
    const code = await runFleetCommand(command, [], {
      projectRoot,
      // No pulumi on the PATH: the pinned CLI is found where provisioning put it.
      env: { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" },
      simulatorPort: 0,
      log: (line) => (output += `${line}\n`),
      logError: (line) => (output += `${line}\n`),
      onPulumiOutput: (text) => (output += text),
      onSimulator: (running) => (simulator = running),
    });
    return { code, output, patches: simulator!.counters().patches };
  }

  it("adopts the 50 locations of fleet.yaml with a real pulumi up, showing Pulumi's progress and summary", async () => {
    assert.equal(fleet.entries.length, 50);

    const { code, output, patches } = await npmRun("up");

    assert.equal(code, 0, output);
    assert.match(output, /\+ 51 created/);
    assert.equal(patches, 50);
  });

  it("reports every resource unchanged on the second run, and the simulator sees no PATCH", async () => {
    const { code, output, patches } = await npmRun("up");

    assert.equal(code, 0, output);
    assert.match(output, /51 unchanged/);
    assert.equal(patches, 0);
  });

  it("puts all 50 locations back on auto with npm run destroy", async () => {
    const { code, output } = await npmRun("destroy");

    assert.equal(code, 0, output);
    const profiles = fleet.entries.map(
      (entry) => simulator!.state.getLocation(entry.customerId, entry.locationId)?.profile,
    );
    assert.deepEqual(new Set(profiles), new Set(["auto"]));
  });
});
