/**
 * The soak: a fleet applied by the real Pulumi CLI (the real program, the real provider host) while the
 * simulator injects every fault at once, then a second run, then a run whose provider host is killed
 * mid-apply, then the rerun that must converge. Returns what happened in each run; the tests assert on it
 * and `npm run soak` prints it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator, SimulatorCounters } from "../../simulator";
import type { StackRun } from "../support/pulumiStack";
import { type DesiredLocation, writeYamlFleet } from "./fleets";
import { createFleetStack, CUSTOMER, locationId, locationPath, startCanarySimulator } from "./support";

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** Locations in the fleet. @default 100 */
  locations?: number;
  /** Seeded locations outside the fleet, which nothing may touch. @default a tenth of `locations`, at least 5 */
  bystanders?: number;
  /** Share of API and token requests answered with a random 5xx during the faulty runs. @default 0.1 */
  random5xxRate?: number;
  /** The simulator firewall's window and limit (compressed from Plume's 2,000 per 300 s). @default 40 per 2000 ms */
  firewall?: { limit: number; windowMs: number };
  /** The client's per-attempt timeout; stalled responses take three times as long. @default 400 */
  timeoutMs?: number;
  /** How many resource operations the engine runs at once (`--parallel`). @default 48 */
  parallel?: number;
}

/** What one run of the soak did. */
export interface SoakRun {
  name: string;
  result: StackRun;
  /** The simulator's counters for this run alone. */
  counters: SimulatorCounters;
  /** PATCHes whose body was not the desired state of their location (a reset by mistake, or worse). */
  wrongWrites: string[];
  /** For each failed step, the simulator's log of its location (time, method, status, fault), to diagnose. */
  failedStepTraces: string[];
}

/** Everything the soak observed. */
export interface SoakReport {
  options: Required<SoakOptions>;
  runs: SoakRun[];
  /** Fleet locations whose final state is not the desired one. */
  unconverged: string[];
  /** Bystander locations that changed. */
  bystandersTouched: string[];
  /** Unhandled rejections and uncaught errors seen in the program, the provider host or this process. */
  unhandled: string[];
  /** How many PATCHes Plume had applied in the third run when the provider host was killed. */
  updatesBeforeKill: number;
}

function resolveSoakOptions(options: SoakOptions): Required<SoakOptions> {
  const locations = options.locations ?? 100;
  const resolved: Required<SoakOptions> = {
    locations,
    bystanders: options.bystanders ?? Math.max(5, Math.round(locations / 10)),
    random5xxRate: options.random5xxRate ?? 0.1,
    firewall: options.firewall ?? { limit: 40, windowMs: 2000 },
    timeoutMs: options.timeoutMs ?? 400,
    parallel: options.parallel ?? 48,
  };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.locations) || resolved.locations < 10)
    problems.push("locations must be at least 10");
  if (!Number.isInteger(resolved.bystanders) || resolved.bystanders < 0)
    problems.push("bystanders must be >= 0");
  if (!(resolved.random5xxRate >= 0 && resolved.random5xxRate < 1))
    problems.push("random5xxRate must be in [0, 1)");
  if (!(resolved.timeoutMs > 0)) problems.push("timeoutMs must be positive");
  if (problems.length > 0) throw new RangeError(`invalid soak options: ${problems.join("; ")}`);
  return resolved;
}

/** The desired state of the fleet in a given generation (each generation changes every location). */
function desiredFleet(count: number, generation: number): DesiredLocation[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    serviceId: `SVC-SOAK-G${generation}-${index}`,
    profile: (index + generation) % 3 === 0 ? "smallbusiness" : "auto",
  }));
}

const UNHANDLED = /unhandled ?(promise )?rejection|uncaught ?exception|ERR_UNHANDLED/i;

/**
 * Client tuning for the soak: a budget above the simulator's firewall limit, so the firewall is really hit
 * and the client has to back off, and a timeout that stalled responses exceed.
 */
function soakTuning(options: Required<SoakOptions>): Record<string, string> {
  return {
    "plume:maxRequestsPerSecond": "200",
    "plume:windowLimit": String(options.firewall.limit * 3),
    "plume:windowMs": String(options.firewall.windowMs),
    "plume:maxConcurrency": "16",
    "plume:timeoutMs": String(options.timeoutMs),
    "plume:maxRetries": "10",
    "plume:retryBaseDelayMs": "50",
    "plume:retryMaxDelayMs": "1000",
    "plume:deadlineMs": "120000",
  };
}

/** Runs the whole soak and reports; never throws for a failed run (the report says what failed). */
export async function runSoak(options: SoakOptions = {}): Promise<SoakReport> {
  const resolved = resolveSoakOptions(options);
  const { locations: count, bystanders } = resolved;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-soak-"));
  const sim = await startCanarySimulator(count + bystanders, {
    firewall: resolved.firewall,
    requestLogLimit: 10_000_000,
  });
  const unhandled: string[] = [];
  const recordUnhandled = (reason: unknown) => unhandled.push(`this process: ${String(reason)}`);
  process.on("unhandledRejection", recordUnhandled);
  try {
    const bystanderIds = Array.from({ length: bystanders }, (_, offset) => locationId(count + offset));
    for (const [offset, id] of bystanderIds.entries()) {
      sim.state.driftLocation(CUSTOMER, id, { serviceId: `BYSTANDER-${offset}`, profile: "smallbusiness" });
    }
    const bystandersBefore = bystanderIds.map((id) => JSON.stringify(sim.state.getLocation(CUSTOMER, id)));
    const report = { updatesBeforeKill: 0 };
    const fleetFile = path.join(workDir, "fleet.yaml");
    writeYamlFleet(fleetFile, desiredFleet(count, 1));
    const stack = await createFleetStack(sim, fleetFile, soakTuning(resolved));
    const parallel = resolved.parallel;
    const runs: SoakRun[] = [];
    const observe = (name: string, result: StackRun, desired: DesiredLocation[]): void => {
      runs.push({
        name,
        result,
        counters: sim.counters(),
        wrongWrites: wrongWrites(sim, desired),
        failedStepTraces: failedStepTraces(sim, result),
      });
      for (const text of [result.stdout, result.stderr, ...result.diagnostics.map((line) => line.message)]) {
        if (UNHANDLED.test(text)) unhandled.push(`${name}: ${text.slice(0, 300)}`);
      }
    };

    try {
      // Run 1: every fault at once, and every token revoked a third of the way through. (The second
      // revocation comes in run 4: two revocations inside one compressed run can straddle a single call's
      // reauthentication and its retry, which the client reports as refused credentials; see
      // docs/reliability.md.)
      const first = desiredFleet(count, 1);
      startFaults(sim, resolved);
      sim.resetCounters();
      const revocation = onceApplied(sim, Math.floor(count / 3), () => sim.faults.revokeAllTokens());
      const firstResult = await stack.up({ parallel });
      revocation.stop();
      observe(`apply ${count} locations under faults, tokens revoked once`, firstResult, first);

      // Run 2: the same fleet, no faults: nothing to write.
      sim.faults.clear();
      sim.resetCounters();
      observe("second run of the same fleet", await stack.up({ parallel }), first);

      // Run 3: every location changes; the provider host is killed a third of the way through.
      const second = desiredFleet(count, 2);
      writeYamlFleet(fleetFile, second);
      startFaults(sim, resolved);
      sim.resetCounters();
      let updatesBeforeKill = 0;
      const kill = onceApplied(sim, Math.floor(count / 3), () => {
        updatesBeforeKill = sim.counters().patchesApplied;
        stack.killProviderHost();
      });
      const killedRun = await stack.up({ parallel });
      kill.stop();
      observe("changed fleet, provider host killed mid-apply", killedRun, second);

      // Run 4: the rerun converges without any repair, faults still on and tokens revoked again.
      sim.resetCounters();
      // The faults of run 3 stay on; its guaranteed 5xx was spent there, so queue another: at 20 locations a
      // 10% rate alone can miss (it did once in CI).
      sim.faults.failNext(1, 503, { method: "PATCH" });
      const secondRevocation = onceApplied(sim, Math.floor(count / 6), () => sim.faults.revokeAllTokens());
      const rerun = await stack.up({ parallel });
      secondRevocation.stop();
      observe("rerun after the kill, tokens revoked again", rerun, second);
      sim.faults.clear();
      report.updatesBeforeKill = updatesBeforeKill;
    } finally {
      stack.dispose();
    }
    const second = desiredFleet(count, 2);
    const unconverged = second
      .filter((desired) => {
        const actual = sim.state.getLocation(CUSTOMER, locationId(desired.index));
        return actual?.serviceId !== desired.serviceId || actual?.profile !== desired.profile;
      })
      .map((desired) => locationId(desired.index));
    const bystandersTouched = bystanderIds.filter(
      (id, offset) => JSON.stringify(sim.state.getLocation(CUSTOMER, id)) !== bystandersBefore[offset],
    );
    return {
      options: resolved,
      runs,
      unconverged,
      bystandersTouched,
      unhandled,
      updatesBeforeKill: report.updatesBeforeKill,
    };
  } finally {
    process.off("unhandledRejection", recordUnhandled);
    await sim.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Runs `action` once Plume has applied `writes` PATCHes since the counters were reset (checked every 10 ms:
 * the simulator's counter, not the engine's event log, which the Automation API reads with a delay).
 */
function onceApplied(sim: RunningSimulator, writes: number, action: () => void): { stop(): void } {
  const timer = setInterval(() => {
    if (sim.counters().patchesApplied < writes) return;
    clearInterval(timer);
    action();
  }, 10);
  return { stop: () => clearInterval(timer) };
}

/** Turns on every fault switch for a run: random 5xx, resets, stalls past the timeout, a tight firewall. */
function startFaults(sim: RunningSimulator, options: Required<SoakOptions>): void {
  const bursts = Math.max(5, Math.round(options.locations / 20));
  sim.faults.setRandom5xxRate(options.random5xxRate);
  // At least one 5xx whatever the dice say: a small fleet makes few enough calls that a 10% rate can miss.
  sim.faults.failNext(1, 503, { method: "PATCH" });
  sim.faults.resetNextConnections(bursts);
  sim.faults.stallNext(bursts, options.timeoutMs * 3);
  sim.faults.setFirewall(options.firewall);
}

/** The request log of every location whose step failed in `result`. */
function failedStepTraces(sim: RunningSimulator, result: StackRun): string[] {
  const log = sim.requestLog();
  return result.failed.map((step) => {
    // Resource names end with the location id (loc-<customerId>-<locationId>).
    const path = `/api/Customers/${CUSTOMER}/locations/${step.name.split("-").pop()}`;
    const calls = log
      .filter((entry) => entry.path === path)
      .map(
        (entry) =>
          `${entry.at.slice(11)} ${entry.method} ${entry.status}${entry.fault ? ` (${entry.fault})` : ""}`,
      );
    return `${step.name}: ${calls.join(", ")}`;
  });
}

/** PATCHes of this run whose body is not exactly the desired state of the location they went to. */
function wrongWrites(sim: RunningSimulator, desired: DesiredLocation[]): string[] {
  const expected = new Map(desired.map((location) => [locationPath(location.index), location]));
  const isDesired = (path: string, body: unknown): boolean => {
    const location = expected.get(path);
    const sent = body as Record<string, unknown> | undefined;
    return (
      location !== undefined &&
      sent !== undefined &&
      Object.keys(sent).length === 2 &&
      sent.serviceId === location.serviceId &&
      sent.profile === location.profile
    );
  };
  return sim
    .requestLog()
    .filter((entry) => entry.method === "PATCH" && !isDesired(entry.path, entry.body))
    .map((entry) => `${entry.path} ${JSON.stringify(entry.body)}`);
}
