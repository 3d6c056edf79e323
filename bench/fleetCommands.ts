// `npm run bench:fleet`: how long `plume-fleet` takes on a large fleet, against the simulator with Plume's
// default firewall (2,000 calls per five minutes) and the client's default limits (6 per second, 1,800 per
// five minutes). Each command runs through bin/plume-fleet.js in a process of its own, as a user runs it.
// Prints figures; asserts nothing.
//
//   npm run bench:fleet                      # 2,000 customers x 5 locations = 10,000 locations
//   npm run bench:fleet -- 200 5             # a smaller fleet: customers, locations per customer
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { startSimulator } from "../simulator";

const BIN = resolve(__dirname, "..", "bin", "plume-fleet.js");
const BUILT = resolve(__dirname, "..", "dist", "provider", "cli", "main.js");
// The build, as an installed package runs it (bin/plume-fleet.js runs the sources through ts-node in a checkout).
const RUN_BUILT = `require(${JSON.stringify(BUILT)}).main(process.argv.slice(1)).then((code) => process.exit(code))`;

async function main(argv: string[]): Promise<void> {
  const customers = Number(argv[0] ?? 2000);
  const perCustomer = Number(argv[1] ?? 5);
  const workDir = mkdtempSync(join(tmpdir(), "plume-fleet-bench-"));
  const sim = await startSimulator({});
  try {
    const generated = sim.state.generate({ customers, locationsPerCustomer: perCustomer });
    generated.customers.forEach((customer, c) =>
      customer.locationIds.forEach((locationId, l) =>
        sim.state.driftLocation(customer.id, locationId, {
          serviceId: `HSI-${c}-${l}`,
          profile: l % 3 === 0 ? "smallbusiness" : "auto",
        }),
      ),
    );
    const locations = customers * perCustomer;
    const env = {
      ...process.env,
      PLUME_API_URL: sim.url,
      PLUME_TOKEN_URL: sim.tokenUrl,
      PLUME_CLIENT_ID: sim.credentials.clientId,
      PLUME_CLIENT_SECRET: sim.credentials.clientSecret,
      PLUME_PARTNER_ID: sim.credentials.partnerId,
    };
    // Asynchronous: the simulator answers from this process's event loop.
    const run = async (label: string, args: string[], launcher = [BIN]) => {
      sim.resetCounters();
      const started = performance.now();
      const child = spawn(process.execPath, [...launcher, ...args], {
        cwd: workDir,
        env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [status] = (await once(child, "close")) as [number | null];
      const result = { status, stderr };
      const seconds = (performance.now() - started) / 1000;
      const counters = sim.counters();
      process.stdout.write(
        `${label.padEnd(44)} ${seconds.toFixed(1).padStart(7)} s  exit ${result.status}  ` +
          `API calls ${counters.apiCalls}, firewall 403s ${counters.firewallRejections}\n`,
      );
      if (result.status !== 0 && result.status !== 2) process.stdout.write(result.stderr);
      return result;
    };

    process.stdout.write(
      `plume-fleet on ${locations.toLocaleString("en-US")} locations (${customers} customers x ${perCustomer}), ` +
        "simulator firewall 2,000 calls / 5 min, client defaults\n",
    );
    writeFileSync(
      join(workDir, "customers.txt"),
      generated.customers.map((customer) => customer.id).join("\n"),
    );
    await run(`export --customers-file (${customers} listLocations)`, [
      "export",
      "--customers-file",
      "customers.txt",
      "--output",
      "fleet.csv",
    ]);
    await run("validate fleet.csv", ["validate", "fleet.csv"]);
    const lines = readFileSync(join(workDir, "fleet.csv"), "utf8").split("\n");
    for (const index of [1, 2, 3, 500, 5000].filter((line) => line < lines.length - 1)) {
      lines[index] = lines[index].replace(/HSI-/, "EDITED-");
    }
    writeFileSync(join(workDir, "fleet.csv"), lines.join("\n"));
    await run("plan fleet.csv (5 edits)", ["plan", "fleet.csv"]);

    const big = ["customerId,locationId,serviceId,profile"];
    for (let index = 0; index < 100_000; index++) {
      big.push(
        `cust${Math.floor(index / 5)},loc${index},HSI-${index},${index % 3 === 0 ? "WorkPass" : "auto"}`,
      );
    }
    writeFileSync(join(workDir, "big.csv"), `${big.join("\n")}\n`);
    await run("validate big.csv (100,000 lines, no network)", ["validate", "big.csv"]);
    await run("validate --help (start-up only)", ["validate", "--help"]);
    if (existsSync(BUILT)) {
      await run("validate big.csv, built (npm run build)", ["validate", "big.csv"], ["-e", RUN_BUILT]);
      await run("validate --help, built", ["validate", "--help"], ["-e", RUN_BUILT]);
    }
  } finally {
    await sim.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
