import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CliUsageError, DEFAULT_CLI_PORT, parseCliArgs, runCli, USAGE } from "../../simulator/cli";
import { SIMULATOR_DEFAULTS } from "../../simulator/options";
import { oauthToken, send } from "./support";

const ROOT = join(__dirname, "..", "..");

describe("simulator CLI: arguments", () => {
  it("maps every flag onto simulator options", () => {
    const command = parseCliArgs([
      "--port=0",
      "--host",
      "::1",
      "--cloud-id",
      "aus123",
      "--seed",
      "seed.json",
      "--persist",
      ".sim/state.json",
      "--firewall-limit",
      "50",
      "--firewall-window-ms",
      "5000",
      "--latency-ms",
      "20",
      "--jitter-ms",
      "5",
      "--token-ttl",
      "300",
      "--login-ttl",
      "60",
      "--random-5xx-rate",
      "0.1",
      "--request-log-limit",
      "99",
      "--generate",
      "10x3",
      "--log-requests",
    ]);
    assert.deepEqual(command, {
      help: false,
      logRequests: true,
      generate: { customers: 10, locationsPerCustomer: 3 },
      options: {
        port: 0,
        host: "::1",
        cloudId: "aus123",
        seedFile: "seed.json",
        persistFile: ".sim/state.json",
        tokenTtlSeconds: 300,
        loginTtlSeconds: 60,
        random5xxRate: 0.1,
        requestLogLimit: 99,
        firewall: { limit: 50, windowMs: 5000 },
        latency: { fixedMs: 20, jitterMs: 5 },
      },
    });
  });

  it("defaults to a fixed port and nothing else", () => {
    assert.deepEqual(parseCliArgs([]), {
      help: false,
      logRequests: false,
      options: { port: DEFAULT_CLI_PORT },
    });
    assert.equal(parseCliArgs(["-h"]).help, true);
  });

  it("reports every bad flag at once", () => {
    assert.throws(
      () =>
        parseCliArgs([
          "--port",
          "eighty",
          "--frobnicate",
          "--seed",
          "--latency-ms",
          "-5",
          "--generate",
          "ten",
          "--log-requests=yes",
        ]),
      (error: CliUsageError) => {
        assert.ok(error instanceof CliUsageError);
        assert.deepEqual(error.problems, [
          '--port must be a whole number; got "eighty".',
          "Unknown option --frobnicate.",
          "--seed needs a value.",
          '--latency-ms must be a whole number; got "-5".',
          '--generate must look like <customers>x<locations>, e.g. 100x10; got "ten".',
          "--log-requests takes no value.",
        ]);
        assert.match(error.message, /--help/);
        return true;
      },
    );
  });
});

describe("simulator CLI: run", () => {
  const capture = () => {
    const output = { stdout: [] as string[], stderr: [] as string[] };
    return {
      output,
      sink: {
        stdout: (line: string) => output.stdout.push(line),
        stderr: (line: string) => output.stderr.push(line),
      },
    };
  };

  it("prints help and asks to exit 0", async () => {
    const { output, sink } = capture();
    assert.deepEqual(await runCli(["--help"], sink), { exitCode: 0 });
    assert.equal(output.stdout[0], USAGE);
    for (const flag of [
      "--port",
      "--seed",
      "--persist",
      "--firewall-limit",
      "--random-5xx-rate",
      "--token-ttl",
    ]) {
      assert.ok(USAGE.includes(flag), flag);
    }
  });

  it("shows in --help the defaults the simulator applies", () => {
    const line = (flag: string) => USAGE.split("\n").find((text) => text.trimStart().startsWith(flag)) ?? "";
    const D = SIMULATOR_DEFAULTS;
    for (const [flag, value] of [
      ["--port", DEFAULT_CLI_PORT],
      ["--host", D.host],
      ["--cloud-id", D.cloudId],
      ["--firewall-limit", D.firewall.limit],
      ["--firewall-window-ms", D.firewall.windowMs],
      ["--token-ttl", D.tokenTtlSeconds],
      ["--login-ttl", D.loginTtlSeconds],
      ["--request-log-limit", D.requestLogLimit],
    ] as const) {
      assert.match(line(flag), new RegExp(`\\(default ${String(value).replace(/\./g, "\\.")}\\)$`), flag);
    }
  });

  it("asks to exit 2 with every problem on bad flags", async () => {
    const { output, sink } = capture();
    assert.deepEqual(await runCli(["--port", "x", "--nope"], sink), { exitCode: 2 });
    assert.match(output.stderr.join("\n"), /--port must be a whole number[\s\S]*Unknown option --nope/);
  });

  it("asks to exit 2 when the options are out of range", async () => {
    const { output, sink } = capture();
    assert.deepEqual(await runCli(["--port", "0", "--firewall-limit", "0", "--random-5xx-rate", "2"], sink), {
      exitCode: 2,
    });
    assert.match(output.stderr.join("\n"), /firewall\.limit must be an integer from 1/);
    assert.match(output.stderr.join("\n"), /random5xxRate must be a number from 0 to 1/);
  });

  it("starts a simulator and prints one JSON line, then a human summary", async () => {
    const { output, sink } = capture();
    const { sim, exitCode } = await runCli(["--port", "0", "--generate", "1x2"], sink);
    try {
      assert.equal(exitCode, 0);
      assert.equal(output.stdout.length, 1);
      const started = JSON.parse(output.stdout[0]!);
      assert.deepEqual(started, {
        event: "listening",
        url: sim!.url,
        tokenUrl: sim!.tokenUrl,
        controlUrl: sim!.controlUrl,
        credentials: sim!.credentials,
        customers: 1,
        locations: 2,
      });
      assert.match(output.stderr.join("\n"), /admin login: admin@sim\.local/);
    } finally {
      await sim?.close();
    }
  });
});

describe("simulator CLI: process", function () {
  // Starting Node with ts-node takes a few seconds on a busy machine.
  this.timeout(60_000);
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plume-cli-"));
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("runs from bin/, serves, and writes its persist file on SIGTERM before exiting 0", async () => {
    const persistFile = join(dir, "state.json");
    child = spawn(
      process.execPath,
      [
        join(ROOT, "bin", "plume-simulator.js"),
        "--port",
        "0",
        "--generate",
        "2x2",
        "--firewall-limit",
        "7",
        "--persist",
        persistFile,
        "--log-requests",
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // "close", not "exit": only then is everything the child wrote to its pipes read.
    const exit = new Promise<number | null>((resolve) => child!.once("close", (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: child!.stdout! }).once("line", resolve),
    );
    const started = JSON.parse(firstLine);
    assert.equal(started.event, "listening");
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(started.tokenUrl, `${started.url}/oauth2/sim-cloud/v1/token`);
    assert.equal(started.credentials.clientSecret, "sim-secret");
    assert.equal(started.locations, 4);

    const token = await oauthToken(started);
    const patched = await send(`${started.url}/api/Customers/sim-c1/locations/sim-c1l1`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}` },
      body: { serviceId: "from-cli" },
    });
    assert.equal(patched.status, 200);
    assert.equal((await send(`${started.url}/__sim/faults`)).json.firewall.limit, 7);

    child.kill("SIGTERM");
    assert.equal(await exit, 0);
    assert.match(stderr, /listening on http/);
    assert.match(stderr, /PATCH \/api\/Customers\/sim-c1\/locations\/sim-c1l1 bearer -> 200/);
    const saved = JSON.parse(readFileSync(persistFile, "utf8"));
    assert.equal(saved.customers[0].locations[0].serviceId, "from-cli");
  });
});
