import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { scratchDir, simulatorEnv } from "./cliHarness";

// bin/plume-fleet.js as a user runs it: in a process of its own, on a pseudo-terminal (Debian's `script`
// gives one), and stopped with Ctrl-C.
const BIN = resolve(__dirname, "..", "..", "bin", "plume-fleet.js");

/** Runs bin/plume-fleet.js with `args`, on a pseudo-terminal when asked; asynchronously, as the simulator answers from this process. */
async function run(
  args: string[],
  options: { cwd: string; env: Record<string, string>; onTerminal?: boolean },
): Promise<{ code: number | null; output: string; stderr: string }> {
  const command = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(" ");
  const child = options.onTerminal
    ? spawn("script", ["-qfc", command, "/dev/null"], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
      })
    : spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
  let output = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, "close")) as [number | null];
  return { code, output, stderr };
}

describe("plume-fleet in a process of its own", function () {
  this.timeout(120_000);
  let sim: RunningSimulator;
  let dir: string;
  let customers: string;

  before(async function () {
    if (spawnSync("script", ["--version"]).error) this.skip(); // util-linux's `script` gives the pseudo-terminal
    sim = await startSimulator({});
    const generated = sim.state.generate({ customers: 20, locationsPerCustomer: 2 }).customers;
    for (const customer of generated) {
      for (const locationId of customer.locationIds) {
        sim.state.driftLocation(customer.id, locationId, { serviceId: `HSI-${locationId}` });
      }
    }
    customers = generated.map((customer) => customer.id).join(",");
    dir = scratchDir();
  });
  after(async () => {
    await sim?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("shows done/total, the rate and the ETA on a terminal, and ends with the time taken", async () => {
    const result = await run(["export", "--customers", customers, "-o", "tty.yaml"], {
      cwd: dir,
      env: simulatorEnv(sim),
      onTerminal: true,
    });

    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /\rexport: \d+\/20 customers \(\d+%\), \d+\.\d\/s, ETA \d+s/);
    assert.match(result.output, /\rexport: 20\/20 customers \(100%\), done in \d+s/);
  });

  it("shows no progress on a terminal with --json", async () => {
    const result = await run(["export", "--customers", customers, "-o", "quiet.yaml", "--json"], {
      cwd: dir,
      env: simulatorEnv(sim),
      onTerminal: true,
    });

    assert.equal(result.code, 0, result.output);
    assert.doesNotMatch(result.output, /export: \d+/);
    assert.match(result.output, /"locations": 40/);
  });

  it("shows no progress when stderr is not a terminal", async () => {
    const result = await run(["plan", "quiet.yaml"], { cwd: dir, env: simulatorEnv(sim) });

    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /plan: \d+/);
    assert.match(result.output, /Plan: 0 to change, 0 missing in Plume, 40 unchanged/);
  });

  it("stops on Ctrl-C with exit code 130, leaving neither the output file nor a temporary file", async () => {
    const slow = await startSimulator({ latency: { fixedMs: 60_000 } });
    try {
      const child = spawn(process.execPath, [BIN, "export", "--customers", "c1,c2", "-o", "stopped.yaml"], {
        cwd: dir,
        env: { ...process.env, ...simulatorEnv(slow) },
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = once(child, "close");
      // The token request is held by the simulator's latency: the export is under way.
      while (slow.counters().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill("SIGINT");
      const [code] = (await closed) as [number | null];

      assert.equal(code, 130, stderr);
      assert.match(stderr, /interrupted; nothing was written/);
      assert.equal(existsSync(join(dir, "stopped.yaml")), false);
      assert.deepEqual(
        readdirSync(dir).filter((name) => name.includes("stopped")),
        [],
      );
    } finally {
      await slow.close();
    }
  });
});
