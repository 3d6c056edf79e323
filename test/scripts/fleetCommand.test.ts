import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { createServer, type AddressInfo, type Server } from "node:net";
import { DEV_PASSPHRASE, DEV_SIMULATOR_PORT, devSimulatorPort } from "../../scripts/devStack";
import { type FleetCommand, runFleetCommand } from "../../scripts/fleetCommand";
import { PULUMI_INSTALL_URL } from "../../scripts/pulumiCli";
import { PulumiProvisionError } from "../../scripts/provisionPulumi";
import { type StandInPulumi, installStandInPulumi } from "./standInPulumi";

const FLEET = [
  "locations:",
  "  - customerId: cust-1",
  "    locationId: loc-1",
  "    serviceId: SVC-1",
  "  - customerId: cust-1",
  "    locationId: loc-2",
  "    serviceId: SVC-2",
  "    profile: smallbusiness",
  "  - customerId: cust-2",
  "    locationId: loc-3",
  "    serviceId: SVC-3",
  "",
].join("\n");

interface Run {
  code: number;
  output: string[];
  errors: string[];
}

describe("npm run up and friends", () => {
  let projectRoot: string;
  let pulumi: StandInPulumi;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    projectRoot = mkdtempSync(join(tmpdir(), "fleet-project-"));
    writeFileSync(join(projectRoot, "fleet.yaml"), FLEET);
    pulumi = installStandInPulumi();
    env = {
      PATH: `${pulumi.directory}${delimiter}${process.env.PATH ?? ""}`,
      STANDIN_LOG: pulumi.logFile,
      STANDIN_PROBE: "cust-1/locations/loc-2",
      PLUME_TOKEN: "a-real-token-from-the-shell",
      PULUMI_BACKEND_URL: "https://api.pulumi.com",
    };
  });

  async function run(
    command: FleetCommand,
    extraArgs: string[] = [],
    environment = env,
    simulatorPort = 0,
    provision?: (env: NodeJS.ProcessEnv, log: (line: string) => void) => Promise<string>,
  ): Promise<Run> {
    const output: string[] = [];
    const errors: string[] = [];
    const code = await runFleetCommand(command, extraArgs, {
      projectRoot,
      env: environment,
      log: (line) => output.push(line),
      logError: (line) => errors.push(line),
      simulatorPort,
      ...(provision ? { provision } : {}),
    });
    return { code, output, errors };
  }

  function configuredApiUrl(): string {
    const setAll = pulumi.calls().find((call) => call.argv[1] === "set-all");
    assert.ok(setAll, "config set-all was not called");
    return setAll.argv.find((arg) => arg.startsWith("plume:apiUrl="))!.slice("plume:apiUrl=".length);
  }

  it("selects or creates stack dev, points plume config at the simulator, then runs pulumi up --yes", async () => {
    const { code } = await run("up");
    assert.equal(code, 0);
    const apiUrl = configuredApiUrl();
    assert.match(apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(
      pulumi.calls().map((call) => call.argv),
      [
        ["stack", "select", "dev", "--create", "--non-interactive"],
        [
          "config",
          "set-all",
          "--stack",
          "dev",
          "--plaintext",
          `plume:apiUrl=${apiUrl}`,
          "--plaintext",
          `plume:tokenUrl=${apiUrl}/oauth2/sim-cloud/v1/token`,
          "--plaintext",
          "plume:clientId=sim-client",
          "--plaintext",
          "plume:partnerId=sim-partner",
          "--secret",
          "plume:clientSecret=sim-secret",
        ],
        ["up", "--yes", "--stack", "dev"],
      ],
    );
  });

  it("runs every pulumi call in the project with the local backend and the dev passphrase, and no PLUME_ variable", async () => {
    await run("up");
    for (const call of pulumi.calls()) {
      assert.equal(call.cwd, projectRoot);
      assert.equal(call.backendUrl, `file://${join(projectRoot, ".pulumi")}`);
      assert.equal(call.passphrase, DEV_PASSPHRASE);
      assert.equal(call.transpileOnly, "true");
      assert.deepEqual(call.plumeVariables, []);
    }
    assert.ok(existsSync(join(projectRoot, ".pulumi")));
  });

  it("runs pulumi with parallel diff and one checkpoint per command, the settings a fleet needs", async () => {
    await run("up");
    for (const call of pulumi.calls()) {
      assert.equal(call.parallelDiff, "true");
      assert.equal(call.skipCheckpoints, "true");
    }
  });

  it("leaves those settings to the caller's environment when it sets them", async () => {
    await run("up", [], { ...env, PULUMI_SKIP_CHECKPOINTS: "false", PULUMI_PARALLEL_DIFF: "false" });
    for (const call of pulumi.calls()) {
      assert.equal(call.parallelDiff, "false");
      assert.equal(call.skipCheckpoints, "false");
    }
  });

  it("keeps the simulator up, seeded with the fleet, while pulumi up runs, and stops it afterwards", async () => {
    await run("up");
    const up = pulumi.calls().at(-1)!;
    assert.equal(up.error, undefined);
    assert.equal(up.tokenStatus, 200);
    assert.equal(up.locationStatus, 200);
    await assert.rejects(fetch(configuredApiUrl()), "the simulator is still listening");
  });

  for (const [command, expected] of [
    ["preview", ["preview", "--stack", "dev", "--diff"]],
    ["refresh", ["refresh", "--yes", "--skip-preview", "--run-program", "--stack", "dev", "--diff"]],
    ["destroy", ["destroy", "--yes", "--run-program", "--stack", "dev", "--diff"]],
    ["up", ["up", "--yes", "--stack", "dev", "--diff"]],
  ] as const) {
    it(`runs pulumi ${command} the same way, passing extra arguments through`, async () => {
      const { code } = await run(command, ["--diff"]);
      assert.equal(code, 0);
      const calls = pulumi.calls();
      assert.deepEqual(calls.at(-1)!.argv, expected);
      assert.equal(calls.at(-1)!.locationStatus, 200);
    });
  }

  it("exits with pulumi's exit code", async () => {
    const { code } = await run("up", [], { ...env, STANDIN_EXIT_UP: "3" });
    assert.equal(code, 3);
    await assert.rejects(fetch(configuredApiUrl()));
  });

  it("stops at the first failing pulumi call", async () => {
    const { code } = await run("up", [], { ...env, STANDIN_EXIT_STACK: "4" });
    assert.equal(code, 4);
    assert.deepEqual(
      pulumi.calls().map((call) => call.argv[0]),
      ["stack"],
    );
  });

  it("without pulumi on the PATH, provisions the pinned CLI, says so in one line, and runs it", async () => {
    // Node (which the stand-in runs on) but no pulumi on the PATH.
    const emptyPath = { ...env, PATH: dirname(process.execPath), PULUMI_HOME: join(projectRoot, "home") };
    let provisioned = 0;
    const { code, output } = await run("up", [], emptyPath, 0, async () => {
      provisioned += 1;
      const root = join(projectRoot, "pinned");
      mkdirSync(join(root, "bin"), { recursive: true });
      symlinkSync(join(pulumi.directory, "pulumi"), join(root, "bin", "pulumi"));
      return root;
    });

    assert.equal(code, 0);
    assert.equal(provisioned, 1);
    assert.equal(output.filter((line) => line.includes("installing the pinned version")).length, 1);
    assert.deepEqual(
      pulumi.calls().map((call) => call.argv[0]),
      ["stack", "config", "up"],
    );
  });

  it("stops with provisioning's message and starts nothing when the CLI cannot be provisioned", async () => {
    const emptyPath = {
      ...env,
      PATH: join(projectRoot, "empty-bin"),
      PULUMI_HOME: join(projectRoot, "home"),
    };
    const { code, errors } = await run("up", [], emptyPath, 0, async () => {
      throw new PulumiProvisionError(`Neither Go nor the internet is available (see ${PULUMI_INSTALL_URL})`);
    });

    assert.equal(code, 1);
    assert.equal(errors.length, 1);
    assert.ok(errors[0].includes(PULUMI_INSTALL_URL));
    assert.equal(existsSync(join(projectRoot, ".sim")), false);
    assert.deepEqual(pulumi.calls(), []);
  });

  it("refuses an invalid fleet file before starting the simulator or pulumi", async () => {
    writeFileSync(join(projectRoot, "fleet.yaml"), "locations:\n  - customerId: c\n    locationId: l\n");
    const { code, errors } = await run("up");
    assert.equal(code, 1);
    assert.match(errors.join("\n"), /fleet\.yaml:2 locations\[0\]\.serviceId: is required/);
    assert.deepEqual(pulumi.calls(), []);
    assert.equal(existsSync(join(projectRoot, ".sim")), false);
  });

  it("keeps simulator state between runs and adds only the fleet's new locations", async () => {
    await run("up");
    const stateFile = join(projectRoot, ".sim", "state.json");
    const first = JSON.parse(readFileSync(stateFile, "utf8"));
    assert.equal(first.customers.length, 2);

    writeFileSync(
      join(projectRoot, "fleet.yaml"),
      `${FLEET}  - customerId: cust-3\n    locationId: loc-4\n    serviceId: SVC-4\n`,
    );
    const { output } = await run("preview");
    assert.match(output[0], /added 1 locations of fleet\.yaml/);
    const second = JSON.parse(readFileSync(stateFile, "utf8"));
    assert.deepEqual(
      second.customers.map((customer: { id: string }) => customer.id),
      ["cust-1", "cust-2", "cust-3"],
    );
  });

  it("points the dev stack at the same simulator address on every run, so its config does not change", async () => {
    const port = await freePort();
    assert.equal((await run("up", [], env, port)).code, 0);
    const first = configuredApiUrl();
    assert.equal((await run("up", [], env, port)).code, 0);
    const setAlls = pulumi.calls().filter((call) => call.argv[1] === "set-all");
    assert.equal(setAlls.length, 2);
    assert.equal(first, `http://127.0.0.1:${port}`);
    assert.ok(setAlls[1].argv.includes(`plume:apiUrl=${first}`));
  });

  it("stops before running pulumi when the simulator's port is taken, and says how to pick another", async () => {
    const blocker = await listening();
    try {
      const port = (blocker.address() as AddressInfo).port;
      const { code, errors } = await run("up", [], env, port);
      assert.equal(code, 1);
      assert.match(errors.join("\n"), new RegExp(`Port ${port} is in use.*PLUME_SIM_PORT=<port> npm run up`));
      assert.deepEqual(pulumi.calls(), []);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("seeds from the fleet file named by fleet:file in Pulumi.dev.yaml", async () => {
    writeFileSync(join(projectRoot, "crm.csv"), "Customer ID,Location ID,Service ID\nacme,hq,BIZ-1\n");
    writeFileSync(join(projectRoot, "Pulumi.dev.yaml"), "config:\n  fleet:file: crm.csv\n");
    const { code } = await run("up", [], { ...env, STANDIN_PROBE: "acme/locations/hq" });
    assert.equal(code, 0);
    assert.equal(pulumi.calls().at(-1)!.locationStatus, 200);
  });
});

describe("the dev stack's simulator port", () => {
  it(`is ${DEV_SIMULATOR_PORT} unless PLUME_SIM_PORT says otherwise`, () => {
    assert.equal(devSimulatorPort({}), DEV_SIMULATOR_PORT);
    assert.equal(devSimulatorPort({ PLUME_SIM_PORT: "" }), DEV_SIMULATOR_PORT);
    assert.equal(devSimulatorPort({ PLUME_SIM_PORT: "4711" }), 4711);
  });

  for (const bad of ["0", "65536", "40 20", "-1", "http", "4020.5"]) {
    it(`refuses PLUME_SIM_PORT=${JSON.stringify(bad)} with a message naming the variable`, () => {
      assert.throws(() => devSimulatorPort({ PLUME_SIM_PORT: bad }), /PLUME_SIM_PORT must be a TCP port/);
    });
  }
});

/** A server listening on a free loopback port. */
function listening(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}

/** A loopback port that was free a moment ago. */
async function freePort(): Promise<number> {
  const server = await listening();
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
