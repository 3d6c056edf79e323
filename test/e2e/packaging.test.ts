import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { parse } from "yaml";

import { type FleetEntry, loadFleet, locationResourceName } from "../../provider/fleet";
import { seedMissingLocations } from "../../scripts/seedSimulator";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { repoRoot, TestStack } from "../support/pulumiStack";
import { assertSucceeded, LOCATION_RESOURCE } from "./simulatedFleet";

// What a user does with the package: `npm pack` it, install the tarball into a fresh copy of each example,
// type-check the example with its own TypeScript, and preview it with the real Pulumi CLI against the
// simulator, then run the `plume-simulator` (and, for the GitOps example, `plume-fleet`) it installed. The steps of each example build on each other.

const execFileAsync = promisify(execFile);

/** Runs a command in `cwd`; a failure's message holds everything the command printed (tsc errors go to stdout). */
async function run(file: string, args: string[], cwd: string): Promise<void> {
  try {
    await execFileAsync(file, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${stdout}${stderr}`, { cause: error });
  }
}

/** An example as the test drives it. */
interface Example {
  /** Its folder under examples/. */
  folder: string;
  /** The stack a user of the example creates. */
  stackName: string;
  /** The locations the example declares, read from its own files where it has them. */
  locations(exampleDir: string): FleetEntry[];
  /** The example's own stack config (the `plume:` settings come from the simulator). */
  config: Record<string, string>;
  /** The client secret comes from the environment, as the example's CI workflow passes it. */
  secretFromEnvironment?: boolean;
  /** Its CI workflow installs with `npm ci` from the package-lock.json the user commits. */
  workflowRunsNpmCi?: boolean;
}

const SINGLE_LOCATION = {
  customerId: "5f3a1b2c3d4e5f6a7b8c9d0e",
  locationId: "60aa11bb22cc33dd44ee55ff",
  serviceId: "SVC-100231",
  profile: "smallbusiness",
} as const;

const EXAMPLES: Example[] = [
  {
    folder: "single-location",
    stackName: "site-42",
    locations: () => [
      {
        ...SINGLE_LOCATION,
        name: locationResourceName(SINGLE_LOCATION.customerId, SINGLE_LOCATION.locationId),
        line: 1,
      },
    ],
    config: { ...SINGLE_LOCATION },
  },
  {
    folder: "crm-csv",
    stackName: "prod",
    locations: (dir) => loadFleet(join(dir, "customers.csv")).entries,
    config: {},
  },
  {
    folder: "gitops",
    stackName: "prod",
    locations: (dir) => loadFleet(join(dir, "fleet.yaml")).entries,
    config: {},
    secretFromEnvironment: true,
    workflowRunsNpmCi: true,
  },
];

describe("the packed package installed into each example", function () {
  let packDir: string;
  let tarball: string;
  let sim: RunningSimulator;

  before(async () => {
    packDir = mkdtempSync(join(tmpdir(), "plume-pack-"));
    await run("npm", ["pack", "--pack-destination", packDir], repoRoot);
    const packed = readdirSync(packDir).filter((name) => name.endsWith(".tgz"));
    assert.equal(packed.length, 1, `npm pack wrote ${packed.join(", ") || "nothing"}`);
    tarball = join(packDir, packed[0]!);
    sim = await startSimulator();
  });

  after(async () => {
    await sim?.close();
    if (packDir) rmSync(packDir, { recursive: true, force: true });
  });

  for (const example of EXAMPLES) {
    describe(`examples/${example.folder}`, function () {
      let projectDir: string;
      let stack: TestStack | undefined;

      before(() => {
        projectDir = mkdtempSync(join(tmpdir(), `plume-example-${example.folder}-`));
        // What a clone holds: no node_modules, build output or lock file a developer may have left.
        cpSync(join(repoRoot, "examples", example.folder), projectDir, {
          recursive: true,
          filter: (source) => !["node_modules", "bin", "package-lock.json"].includes(basename(source)),
        });
      });

      after(() => {
        stack?.dispose();
        rmSync(projectDir, { recursive: true, force: true });
      });

      it("installs from the tarball with npm install, with the license, changelog and build", async () => {
        const manifestFile = join(projectDir, "package.json");
        const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
        manifest.dependencies["pulumi-plume"] = `file:${tarball}`;
        writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

        await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], projectDir);

        const installed = join(projectDir, "node_modules", "pulumi-plume");
        const ours = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
        assert.equal(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version, ours.version);
        for (const file of ["LICENSE", "CHANGELOG.md", "README.md", "dist/provider/index.d.ts"]) {
          assert.ok(existsSync(join(installed, file)), `the installed package has no ${file}`);
        }
      });

      if (example.workflowRunsNpmCi) {
        it("reinstalls with npm ci from the package-lock.json npm install wrote, as its workflow does", async () => {
          rmSync(join(projectDir, "node_modules"), { recursive: true });

          await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], projectDir);

          assert.ok(
            existsSync(join(projectDir, "node_modules", "pulumi-plume", "dist", "provider", "index.js")),
          );
        });
      }

      it("type-checks with the example's own TypeScript and tsconfig.json", async () => {
        const tsc = join(projectDir, "node_modules", "typescript", "bin", "tsc");
        await run(process.execPath, [tsc, "--noEmit", "-p", projectDir], projectDir);
      });

      it("previews a create of each of its locations with the real CLI, changing nothing in Plume", async () => {
        const locations = example.locations(projectDir);
        assert.ok(locations.length > 0);
        seedMissingLocations(sim.state, locations);
        const secret = { "plume:clientSecret": sim.credentials.clientSecret };
        stack = await TestStack.create({
          projectDir,
          stackName: example.stackName,
          config: {
            ...example.config,
            "plume:apiUrl": sim.url,
            "plume:tokenUrl": sim.tokenUrl,
            "plume:clientId": sim.credentials.clientId,
            "plume:partnerId": sim.credentials.partnerId,
          },
          secretConfig: example.secretFromEnvironment ? {} : secret,
          env: example.secretFromEnvironment ? { PLUME_CLIENT_SECRET: secret["plume:clientSecret"] } : {},
        });
        sim.resetCounters();

        const preview = await stack.preview();

        assertSucceeded(preview);
        // The example's own project (Pulumi.yaml), not a scratch project of this repository.
        const project = parse(readFileSync(join(projectDir, "Pulumi.yaml"), "utf8")).name;
        assert.deepEqual(
          preview.steps.map((step) => `${step.op} ${step.urn}`).sort(),
          locations
            .map(
              (entry) =>
                `create urn:pulumi:${example.stackName}::${project}::${LOCATION_RESOURCE}::${entry.name}`,
            )
            .sort(),
        );
        assert.deepEqual(
          sim.requestLog().filter((entry) => entry.method === "PATCH"),
          [],
        );
      });

      it("runs the plume-simulator it installed with Node alone: no sources, no ts-node", async () => {
        assert.equal(existsSync(join(projectDir, "node_modules", "pulumi-plume", "simulator")), false);
        assert.equal(existsSync(join(projectDir, "node_modules", "ts-node")), false);
        const child = spawn(
          join(projectDir, "node_modules", ".bin", "plume-simulator"),
          ["--port", "0", "--generate", "2x3"],
          { cwd: projectDir, stdio: ["ignore", "pipe", "pipe"] },
        );
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        // "close", not "exit": only then is everything the child wrote read.
        const closed = new Promise<number | null>((resolve) => child.once("close", resolve));
        const firstLine = await Promise.race([
          new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve)),
          closed.then((code) =>
            assert.fail(`plume-simulator exited with ${code} before listening:\n${stderr}`),
          ),
        ]);
        child.kill("SIGTERM");

        const started = JSON.parse(firstLine);
        assert.equal(started.event, "listening");
        assert.equal(started.locations, 6);
        assert.equal(await closed, 0, stderr);
      });

      if (example.folder === "gitops") {
        it("lints fleet.yaml with the plume-fleet it installed, as its workflow does: Node alone", async () => {
          const { stdout } = await execFileAsync(
            join(projectDir, "node_modules", ".bin", "plume-fleet"),
            ["validate", "fleet.yaml"],
            { cwd: projectDir },
          );
          assert.match(stdout, /^fleet\.yaml: \d+ locations?, valid$/m);
        });
      }
    });
  }
});
