// The plugin as users install it: the tarball of `npm run package:plugin`, installed with
// `pulumi plugin install resource plume <version> --file <tarball>`, then found by the engine for a program
// that names no plugin path (a Pulumi YAML program: no SDK to install).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { packagePlugin } from "../../../scripts/packagePlugin";
import { pulumiExecutable, repoRoot, TestStack } from "../../support/pulumiStack";
import { assertSucceeded, startSimulatedFleet, type SimulatedFleet } from "../simulatedFleet";
import { NATIVE_RESOURCE } from "./nativeScenario";

const VERSION = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string })
  .version;

describe("the plume plugin tarball, installed with pulumi plugin install", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;
  let outDir: string;

  before(async function () {
    outDir = mkdtempSync(join(tmpdir(), "plume-plugin-"));
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 1 });
    const [entry] = fleet.entries;
    const program = stringify({
      name: "plume-installed-plugin",
      runtime: "yaml",
      resources: {
        office: {
          type: NATIVE_RESOURCE,
          properties: {
            customerId: entry.customerId,
            locationId: entry.locationId,
            serviceId: "BIZ-1",
            profile: "smallbusiness",
          },
        },
      },
    });
    stack = await TestStack.create({ ...fleet.config(), projectFiles: { "Pulumi.yaml": program } });
  });

  after(async function () {
    stack?.dispose();
    await fleet?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it("installs as resource plugin plume at the package's version", async function () {
    const tarball = packagePlugin(outDir);
    assert.equal(tarball, join(outDir, `pulumi-resource-plume-v${VERSION}-linux-amd64.tar.gz`));
    const pulumi = await pulumiExecutable();
    const env = { ...process.env, ...stack.env };
    const install = spawnSync(
      pulumi,
      ["plugin", "install", "resource", "plume", VERSION, "--file", tarball],
      {
        env,
        encoding: "utf8",
      },
    );
    assert.equal(install.status, 0, install.stdout + install.stderr);
    const listed = spawnSync(pulumi, ["plugin", "ls", "--json"], { env, encoding: "utf8" });
    const plugins = JSON.parse(listed.stdout) as { name: string; kind: string; version: string }[];
    assert.ok(
      plugins.some(
        (plugin) => plugin.name === "plume" && plugin.kind === "resource" && plugin.version === VERSION,
      ),
      listed.stdout,
    );
  });

  it("serves a program that names no plugin path", async function () {
    const up = await stack.up();
    assertSucceeded(up);
    const [entry] = fleet.entries;
    const location = fleet.sim.state.getLocation(entry.customerId, entry.locationId);
    assert.deepEqual([location?.serviceId, location?.profile], ["BIZ-1", "smallbusiness"]);
    assertSucceeded(await stack.destroy());
    assert.equal(fleet.sim.state.getLocation(entry.customerId, entry.locationId)?.profile, "auto");
  });
});
