import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

import type { Deployment } from "@pulumi/pulumi/automation";
import { seedMissingLocations } from "../../scripts/seedSimulator";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { DYNAMIC_PROVIDER_SOURCE } from "../../provider/resource/shim";
import { TestStack } from "../support/pulumiStack";
import { assertSucceeded, divergences, managedLocations, type FleetEntry } from "./simulatedFleet";

// Stacks written by earlier releases (`pulumi up` of the root program with a three-location fleet, exported
// with `pulumi stack export --show-secrets`; addresses replaced by placeholders) are refreshed, previewed,
// updated and destroyed by this one: no diff, no write until the destroy resets each location. 0.1.0 stored
// its whole serialized provider in `__provider`, 0.2.0 in development (until 2026-12-02) a shim calling `bindShim`; this one stores one line.

for (const release of ["0.1.0", "0.2.0-dev"]) {
  describe(`a stack written by release ${release}`, function () {
    const fixture = join(__dirname, "fixtures", `release-${release}`, "stack.json");
    this.timeout(240_000);
    let sim: RunningSimulator;
    let stack: TestStack;
    let workDir: string;
    let entries: FleetEntry[];

    before(async () => {
      sim = await startSimulator({ firewall: { limit: 100_000, windowMs: 1_000 } });
      workDir = mkdtempSync(join(tmpdir(), "plume-upgrade-"));
      const fleetFile = join(workDir, "fleet.yaml");
      const deployment: Deployment = JSON.parse(
        readFileSync(fixture, "utf8")
          .replaceAll("{{apiUrl}}", sim.url)
          .replaceAll("{{tokenUrl}}", sim.tokenUrl)
          .replaceAll("{{fleetFile}}", fleetFile),
      ) as Deployment;
      const resources = (deployment.deployment as { resources: { type: string; outputs: FleetEntry }[] })
        .resources;
      entries = resources
        .filter((resource) => resource.type.endsWith(":PlumeLocationService"))
        .map(({ outputs: { customerId, locationId, serviceId, profile } }) => ({
          customerId,
          locationId,
          serviceId,
          profile,
        }));
      assert.equal(entries.length, 3);
      // Plume as the previous release left it.
      seedMissingLocations(
        sim.state,
        entries.map((entry, index) => ({ ...entry, name: `entry-${index}`, line: index + 1 })),
      );
      for (const entry of entries) {
        sim.state.driftLocation(entry.customerId, entry.locationId, {
          serviceId: entry.serviceId,
          profile: entry.profile,
        });
      }
      writeFileSync(fleetFile, stringify({ locations: entries }));
      stack = await TestStack.create({
        config: {
          "fleet:file": fleetFile,
          "plume:apiUrl": sim.url,
          "plume:tokenUrl": sim.tokenUrl,
          "plume:clientId": sim.credentials.clientId,
          "plume:partnerId": sim.credentials.partnerId,
        },
        secretConfig: { "plume:clientSecret": sim.credentials.clientSecret },
      });
      await stack.stack.importStack(deployment);
      sim.resetCounters();
    });

    after(async () => {
      stack?.dispose();
      await sim?.close();
      rmSync(workDir, { recursive: true, force: true });
    });

    it("refreshes without a change, with the settings the previous release stored", async () => {
      const refreshed = await stack.refresh();

      assertSucceeded(refreshed);
      assert.deepEqual(
        refreshed.steps.filter((step) => step.op !== "same" && step.op !== "refresh"),
        [],
      );
      assert.equal(sim.counters().gets, 3);
      assert.equal(sim.counters().patches, 0);
    });

    it("previews the same fleet without a diff", async () => {
      const preview = await stack.preview();

      assertSucceeded(preview);
      assert.deepEqual(
        preview.steps.filter((step) => step.op !== "same"),
        [],
      );
    });

    it("updates it without a change or a call, writing this release's provider text into the inputs only", async () => {
      const up = await stack.up();

      assertSucceeded(up);
      assert.deepEqual(
        up.steps.filter((step) => step.op !== "same"),
        [],
      );
      assert.equal(sim.counters().patches, 0);
      const stored = (await stack.resources()).filter((resource) =>
        resource.type.endsWith(":PlumeLocationService"),
      );
      assert.deepEqual(
        stored.map((resource) => resource.inputs?.__provider),
        [DYNAMIC_PROVIDER_SOURCE, DYNAMIC_PROVIDER_SOURCE, DYNAMIC_PROVIDER_SOURCE],
      );
      // The outputs keep the release's text until a resource is next updated: the destroy below runs through it.
      assert.deepEqual(
        stored.map((resource) => resource.outputs?.__provider === DYNAMIC_PROVIDER_SOURCE),
        [false, false, false],
      );
    });

    it("destroys it, putting each location back on auto", async () => {
      const destroyed = await stack.destroy();

      assertSucceeded(destroyed);
      assert.deepEqual(await managedLocations(stack), []);
      assert.deepEqual(
        divergences(
          sim,
          entries.map((entry) => ({ ...entry, profile: "auto" as const })),
        ),
        [],
      );
    });
  });
}
