import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

import { shardOf } from "../../provider/fleet";
import { startSimulator } from "../../simulator";
import { provisionPulumi } from "../../scripts/provisionPulumi";
import { runShards } from "../../scripts/shards";
import { repoRoot } from "../support/pulumiStack";
import { LOCATION_RESOURCE } from "./simulatedFleet";

// `npm run shards -- up --shards 2` on a scratch copy of the root project, through the real Pulumi CLI (the
// Automation API) against the dev simulator: two stacks that together manage every location exactly once.

const FLEET = ["acme", "globex", "initech"].flatMap((customerId) =>
  [1, 2].map((n) => ({
    customerId,
    locationId: `${customerId}-loc${n}`,
    serviceId: `SVC-${customerId}-${n}`,
  })),
);

describe("a fleet of 6 locations of 3 customers split across two stacks by npm run shards", function () {
  this.timeout(300_000);
  let projectRoot: string;

  before(() => {
    projectRoot = mkdtempSync(join(tmpdir(), "plume-shards-"));
    writeFileSync(
      join(projectRoot, "Pulumi.yaml"),
      "name: pulumi-plume-fleet\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: program/index.ts\n",
    );
    for (const entry of [
      "program",
      "provider",
      "node_modules",
      "tsconfig.json",
      "package.json",
      "dynamic-provider.js",
    ]) {
      symlinkSync(join(repoRoot, entry), join(projectRoot, entry));
    }
    writeFileSync(join(projectRoot, "fleet.yaml"), stringify({ locations: FLEET }));
    // The program, loaded through the symlink, would take a relative fleet file from this repository (as
    // every test stack, seen in a first run): name it in each stack's settings, as a real shard stack may.
    for (const stack of ["dev-00", "dev-01"]) {
      writeFileSync(
        join(projectRoot, `Pulumi.${stack}.yaml`),
        stringify({ config: { "fleet:file": join(projectRoot, "fleet.yaml") } }),
      );
    }
  });

  after(() => rmSync(projectRoot, { recursive: true, force: true }));

  it("puts each customer's locations in one stack, every location in exactly one, and applies them all", async () => {
    assert.deepEqual(
      new Set(FLEET.map((entry) => shardOf(entry.customerId, 2))),
      new Set([0, 1]),
      "both shards hold a customer of this fleet",
    );
    const lines: string[] = [];
    const code = await runShards(
      { command: "up", shards: 2, parallelStacks: 2 },
      {
        projectRoot,
        simulatorPort: 0,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          PULUMI_HOME: join(projectRoot, ".pulumi-home"),
        },
        // The CLI the other end-to-end tests use, not a new one in this test's PULUMI_HOME.
        provision: () => provisionPulumi(),
        log: (line) => lines.push(line),
        logError: (line) => lines.push(line),
      },
    );
    assert.equal(code, 0, lines.join("\n"));

    const managed: string[] = [];
    for (const index of [0, 1]) {
      const stack = `dev-0${index}`;
      const expected = FLEET.filter((entry) => shardOf(entry.customerId, 2) === index);
      const line = lines.find((text) => text.startsWith(`${stack} (shard ${index}/2): up succeeded in `));
      assert.ok(line, `no summary line for ${stack}:\n${lines.join("\n")}`);
      assert.match(line, new RegExp(`create ${expected.length + 1}$`), "its locations and the stack");
      const ids = checkpointResources(stack)
        .filter((resource) => resource.type === LOCATION_RESOURCE)
        .map((resource) => resource.id)
        .sort();
      assert.deepEqual(ids, expected.map((entry) => `${entry.customerId}/${entry.locationId}`).sort());
      managed.push(...ids);
    }
    assert.equal(managed.length, FLEET.length);
    assert.equal(new Set(managed).size, FLEET.length, "no location is managed by both stacks");

    const simulator = await startSimulator({ port: 0, persistFile: join(projectRoot, ".sim", "state.json") });
    try {
      for (const entry of FLEET) {
        assert.equal(
          simulator.state.getLocation(entry.customerId, entry.locationId)?.serviceId,
          entry.serviceId,
        );
      }
    } finally {
      await simulator.close();
    }
  });

  /** The resources of `stack` in its checkpoint in the project's local backend. */
  function checkpointResources(stack: string): { type: string; id: string }[] {
    const directory = join(projectRoot, ".pulumi", ".pulumi", "stacks", "pulumi-plume-fleet");
    assert.ok(readdirSync(directory).includes(`${stack}.json`), `no checkpoint of ${stack}`);
    const checkpoint = JSON.parse(readFileSync(join(directory, `${stack}.json`), "utf8")) as {
      checkpoint: { latest: { resources?: { type: string; id: string }[] } };
    };
    return checkpoint.checkpoint.latest.resources ?? [];
  }
});
