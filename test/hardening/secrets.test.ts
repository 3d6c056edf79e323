// Canary secrets through whole runs: the client secret, the admin password, a token, and a location's Wi-Fi
// key and PPPoE password must never show up in state, any `__provider`, stdout or stderr (of the program and
// of the provider host), debug logs, or the errors a run reports.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator } from "../../simulator";
import { stringify } from "yaml";
import { repoRoot, TestStack, type StackRun } from "../support/pulumiStack";
import { findCanaries } from "./assertions";
import {
  CANARY,
  createFleetStack,
  CUSTOMER,
  FAIL_FAST_TUNING,
  locationId,
  locationPath,
  locationProps,
  oauthStackConfig,
  resourceId,
  startCanarySimulator,
  startDeployment,
} from "./support";
import { writeYamlFleet } from "./fleets";

/** Any JSON Web Token (an OAuth access token) in a text is a leak, whoever issued it. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/;

/** Every text a run leaves behind that a person or a log shipper could read. */
function runTexts(label: string, run: StackRun): Record<string, string> {
  return {
    [`${label} outputs`]: JSON.stringify(run.outputs),
    [`${label} CLI stdout`]: run.stdout,
    [`${label} CLI stderr (verbose engine and plugin logs)`]: run.stderr,
    [`${label} diagnostics`]: run.diagnostics.map((line) => line.message).join("\n"),
    [`${label} error`]: run.error ?? "",
  };
}

/** The stack's state as the backend wrote it, and each serialized provider in it. */
async function stateTexts(stack: TestStack): Promise<Record<string, string>> {
  const texts: Record<string, string> = { "state files": stack.stateText() };
  for (const resource of await stack.resources()) {
    for (const [kind, props] of [
      ["inputs", resource.inputs],
      ["outputs", resource.outputs],
    ] as const) {
      const provider = props?.__provider;
      if (typeof provider === "string") texts[`__provider (${kind}) of ${resource.urn}`] = provider;
    }
  }
  return texts;
}

function assertNoJwt(texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    const match = JWT.exec(text);
    assert.equal(match, null, `an access token leaked into ${where}`);
  }
}

/**
 * Asserts that no text holds the OAuth client secret (plainly or in a Basic header), a location's Wi-Fi key
 * or PPPoE password, or any access token.
 */
function assertNoOAuthCanaries(sim: RunningSimulator, texts: Record<string, string>): void {
  const basicCredentials = Buffer.from(`${sim.credentials.clientId}:${CANARY.clientSecret}`).toString(
    "base64",
  );
  const canaries = [CANARY.clientSecret, basicCredentials, CANARY.wpaKey, CANARY.pppoePassword];
  assert.deepEqual(findCanaries(canaries, texts), []);
  assertNoJwt(texts);
}

describe("the canary scan", function () {
  it("finds a canary written plainly, URL-encoded, JSON-escaped or base64-encoded", function () {
    const canary = 'canary "quoted" +/=';
    const texts = {
      plain: `x ${canary} y`,
      url: `secret=${encodeURIComponent(canary)}`,
      json: JSON.stringify({ secret: canary }),
      basic: `Authorization: Basic ${Buffer.from(canary).toString("base64")}`,
      clean: "nothing here",
    };
    assert.deepEqual(
      findCanaries([canary], texts).map((hit) => hit.where),
      ["plain", "url", "json", "basic"],
    );
  });

  it("finds an access token by its JWT shape", function () {
    assert.throws(() => assertNoJwt({ log: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln" }));
  });
});

describe("canary secrets through whole runs of the real Pulumi CLI", function () {
  this.timeout(240_000);
  let sim: RunningSimulator;
  let workDir: string;
  let stack: TestStack | undefined;

  before(async function () {
    sim = await startCanarySimulator(6);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-secrets-"));
  });

  after(async function () {
    stack?.dispose();
    await sim?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("keeps the client secret, Wi-Fi key and PPPoE password out of everything an OAuth run and a refresh leave, with debug logging on and a failing location", async function () {
    const fleetFile = writeYamlFleet(
      path.join(workDir, "fleet.yaml"),
      [0, 1, 2, 3].map((index) => ({
        index,
        serviceId: `SVC-SECRET-${index}`,
        profile: index % 2 === 0 ? "auto" : "smallbusiness",
      })),
    );
    stack = await createFleetStack(sim, fleetFile, FAIL_FAST_TUNING, { PLUME_DEBUG: "1" });
    // Verbose logs carry what the provider host writes (its debug lines included) to the CLI's stderr.
    const verbose = { logToStdErr: true, logVerbosity: 9 };
    // Location 3 refuses every write: its create fails, so the run's errors carry the client's message.
    sim.faults.failNext(1000, 500, { path: locationPath(3), method: "PATCH" });
    const first = await stack.up(verbose);
    sim.faults.clear();
    assert.equal(first.ok, false);
    assert.equal(first.steps.filter((step) => step.op === "create").length, 3, first.stdout);
    assert.ok(first.stdout.includes(resourceId(3)), `no error names the failing location: ${first.stdout}`);
    assert.match(
      first.stderr,
      /PATCH .*\b200\b|attempt/i,
      "PLUME_DEBUG=1 produced no debug lines, so the scan would prove nothing",
    );

    // Drift on location 1, then `up --refresh`: reads return whole locations (with their secrets) and an
    // update follows; none of it may reach the state.
    sim.state.driftLocation(CUSTOMER, locationId(1), { serviceId: "SVC-DRIFTED", profile: "auto" });
    const refreshed = await stack.up({ ...verbose, refresh: true });
    assert.equal(refreshed.ok, true, refreshed.stdout);
    assert.equal(sim.state.getLocation(CUSTOMER, locationId(1))?.serviceId, "SVC-SECRET-1");

    const texts = {
      ...runTexts("first run", first),
      ...runTexts("refresh run", refreshed),
      ...(await stateTexts(stack)),
    };
    assertNoOAuthCanaries(sim, texts);
    for (const resource of await stack.resources()) {
      const provider = resource.outputs?.__provider;
      if (typeof provider === "string")
        assert.ok(provider.length < 4096, `__provider is ${provider.length} bytes`);
    }
  });
});

describe("canary secrets through whole runs of the native plume plugin (a Pulumi YAML program)", function () {
  this.timeout(240_000);
  let sim: RunningSimulator;
  let stack: TestStack | undefined;

  before(async function () {
    sim = await startCanarySimulator(6);
  });

  after(async function () {
    stack?.dispose();
    await sim?.close();
  });

  /** A YAML program declaring locations 0 to 3 with the plugin of this checkout. */
  function yamlProgram(): string {
    const resources = Object.fromEntries(
      [0, 1, 2, 3].map((index) => [
        `location-${index}`,
        {
          type: "plume:index:LocationService",
          properties: {
            customerId: CUSTOMER,
            locationId: locationId(index),
            serviceId: `SVC-SECRET-${index}`,
            profile: index % 2 === 0 ? "auto" : "smallbusiness",
          },
        },
      ]),
    );
    return stringify({
      name: "plume-native-secrets",
      runtime: "yaml",
      plugins: { providers: [{ name: "plume", path: path.join(repoRoot, "bin") }] },
      resources,
    });
  }

  it("keeps the client secret, Wi-Fi key and PPPoE password out of everything an OAuth run, an import and a refresh leave, with debug logging on and a failing location", async function () {
    const { "plume:clientSecret": clientSecret, ...plain } = oauthStackConfig(sim, FAIL_FAST_TUNING);
    stack = await TestStack.create({
      config: plain,
      secretConfig: { "plume:clientSecret": clientSecret },
      env: { PLUME_DEBUG: "1" },
      projectFiles: { "Pulumi.yaml": yamlProgram() },
    });
    const verbose = { logToStdErr: true, logVerbosity: 9 };
    const imported = await stack.cli([
      "import",
      "plume:index:LocationService",
      "location-0",
      resourceId(0),
      "--yes",
      "--generate-code=false",
      "--logtostderr",
      "-v=9",
    ]);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    sim.faults.failNext(1000, 500, { path: locationPath(3), method: "PATCH" });
    const first = await stack.up(verbose);
    sim.faults.clear();
    assert.equal(first.ok, false);
    assert.ok(first.stdout.includes(resourceId(3)), `no error names the failing location: ${first.stdout}`);
    assert.match(first.stderr, /PATCH .*\b200\b|attempt/i, "PLUME_DEBUG=1 produced no debug lines to scan");

    sim.state.driftLocation(CUSTOMER, locationId(1), { serviceId: "SVC-DRIFTED", profile: "auto" });
    const refreshed = await stack.up({ ...verbose, refresh: true });
    assert.equal(refreshed.ok, true, refreshed.stdout);
    assert.equal(sim.state.getLocation(CUSTOMER, locationId(1))?.serviceId, "SVC-SECRET-1");

    const texts = {
      "import stdout": imported.stdout,
      "import stderr (verbose engine and plugin logs)": imported.stderr,
      ...runTexts("first run", first),
      ...runTexts("refresh run", refreshed),
      ...(await stateTexts(stack)),
    };
    assertNoOAuthCanaries(sim, texts);
  });
});

describe("canary secrets through the provider host, for admin login and a given token", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;

  before(async function () {
    sim = await startCanarySimulator(6);
  });

  after(async function () {
    await sim?.close();
  });

  /** A token the simulator honours, obtained as a user would, to be given to the provider as a canary. */
  async function loginToken(): Promise<string> {
    const response = await fetch(`${sim.url}/api/Customers/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: sim.credentials.email, password: sim.credentials.password }),
    });
    const body = (await response.json()) as { id: string };
    return body.id;
  }

  const modes = [
    {
      mode: "admin login",
      secret: "the admin password",
      config: async (): Promise<Record<string, string>> => ({
        "plume:email": sim.credentials.email,
        "plume:password": CANARY.password,
      }),
      canaries: async () => [CANARY.password],
    },
    {
      mode: "a given token",
      secret: "the token",
      config: async (): Promise<Record<string, string>> => ({ "plume:token": await loginToken() }),
      canaries: async (config: Record<string, string>) => [config["plume:token"]],
    },
  ];

  for (const { mode, secret, config: configFor, canaries: canariesFor } of modes) {
    it(`keeps ${secret} (${mode}) and the location's keys out of outputs, host output, debug lines and errors`, async function () {
      const config = { "plume:apiUrl": sim.url, ...FAIL_FAST_TUNING, ...(await configFor()) };
      const host = await startDeployment(config, { PLUME_DEBUG: "1" });
      try {
        const texts: Record<string, string> = {};
        const props = await locationProps(4, "SVC-LOGIN", "smallbusiness");
        const checked = await host.check({}, props);
        const created = await host.create(checked.inputs);
        texts["create outputs"] = JSON.stringify(created.properties);
        const read = await host.read(created.id, created.properties);
        texts["read outputs"] = JSON.stringify(read.properties);
        sim.faults.failNext(1000, 500, { path: locationPath(4) });
        const failure = await host.delete(created.id, created.properties).then(
          () => "the delete did not fail",
          (error: unknown) => String((error as Error).message),
        );
        sim.faults.clear();
        texts["delete error"] = failure;
        sim.faults.failNext(2, 401, { path: locationPath(4) });
        texts["401 error"] = await host.read(created.id, created.properties).then(
          () => "the read did not fail",
          (error: unknown) => String((error as Error).message),
        );
        sim.faults.clear();
        texts["host output and logs"] = host.allLogText;
        assert.ok(/GET|PATCH/.test(host.allLogText), "debug logging produced nothing to scan");

        const canaries = [...(await canariesFor(config)), CANARY.wpaKey, CANARY.pppoePassword];
        assert.deepEqual(findCanaries(canaries, texts), []);
        assertNoJwt(texts);
      } finally {
        await host.close();
      }
    });
  }
});
