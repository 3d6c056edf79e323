// Adopting a live fleet through the native door without a single write: `plume-fleet export --import-file`
// lists every location, `pulumi import --file` records them as Plume holds them, and a program declaring
// the exported fleet then previews no change at all.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { locationResourceName } from "../../../provider/fleet/naming";
import { fleetCli, simulatorEnv } from "../../fleetCli/cliHarness";
import { repoRoot, TestStack } from "../../support/pulumiStack";
import { assertSucceeded, startSimulatedFleet, type SimulatedFleet } from "../simulatedFleet";
import { NATIVE_RESOURCE } from "./nativeScenario";

describe("adopting a live fleet through the native door: plume-fleet export --import-file, then pulumi import --file", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;

  before(async function () {
    fleet = await startSimulatedFleet({ customers: 2, locationsPerCustomer: 2 });
    for (const [index, entry] of fleet.entries.entries()) {
      fleet.sim.state.driftLocation(entry.customerId, entry.locationId, {
        serviceId: `LIVE-${index}`,
        profile: index % 2 === 0 ? "auto" : "smallbusiness",
      });
    }
    stack = await TestStack.create({
      ...fleet.config(),
      projectFiles: { "Pulumi.yaml": "name: adopt\nruntime: yaml\n" },
    });
  });

  after(async function () {
    stack?.dispose();
    await fleet?.close();
  });

  it("records every location as Plume holds it, and a program of the exported fleet plans no write", async function () {
    const customers = [...new Set(fleet.entries.map((entry) => entry.customerId))].join(",");
    const exported = await fleetCli(
      ["export", "--customers", customers, "--output", "fleet.yaml", "--import-file", "import.json"],
      { cwd: stack.projectDir, env: simulatorEnv(fleet.sim) },
    );
    assert.equal(exported.code, 0, exported.stderr);

    // The program: one resource per exported location, under the names the import file gives them.
    const { locations } = parse(readFileSync(join(stack.projectDir, "fleet.yaml"), "utf8")) as {
      locations: { customerId: string; locationId: string; serviceId: string; profile: string }[];
    };
    const resources = Object.fromEntries(
      locations.map((entry) => [
        locationResourceName(entry.customerId, entry.locationId),
        { type: NATIVE_RESOURCE, properties: entry },
      ]),
    );
    const program = {
      name: "adopt",
      runtime: "yaml",
      plugins: { providers: [{ name: "plume", path: join(repoRoot, "bin") }] },
      resources,
    };
    writeFileSync(join(stack.projectDir, "Pulumi.yaml"), stringify(program));

    fleet.sim.resetCounters();
    const imported = await stack.cli(["import", "--file", "import.json", "--yes", "--generate-code=false"]);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    const preview = await stack.preview();
    assertSucceeded(preview);
    assert.equal(preview.counts.same, 5, "four locations and the stack");
    assert.deepEqual(
      preview.steps.filter((step) => step.op !== "same"),
      [],
    );
    assert.equal(fleet.sim.counters().patchesApplied, 0);
  });
});
