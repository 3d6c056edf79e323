// One benchmark run: start the simulator, drive the provider phases, run the baselines on fresh simulators,
// and gather every figure into a report and a chart.
import * as os from "node:os";
import { DYNAMIC_PROVIDER_SOURCE } from "../provider/resource/shim";
import { startSimulator } from "../simulator";
import { REPO_ROOT } from "../support/providerHost";
import {
  extrapolateSeconds,
  runNaiveBaseline,
  runSequentialBaseline,
  type ApiCall,
  type BaselineTarget,
} from "./baselines";
import { bucketCalls, renderCallsChart, type CallMark } from "./chart";
import { seededRandom } from "./seededRandom";
import type { BenchReport, PhaseFigures, RunFigures, RunSetup } from "./figures";
import {
  limiterWindow,
  physicalLimitSeconds,
  ratioToLimit,
  windowRatePerSecond,
  type FirewallWindow,
} from "./limits";
import type { BenchOptions } from "./options";
import {
  checkAndDiffUnchanged,
  createResource,
  deleteResource,
  refreshResource,
  runProviderPhase,
  updateServiceId,
  type PhaseContext,
  type PhaseRun,
  type TrackedResource,
} from "./phases";
import type { BenchSimulator } from "./simulatorView";
import { installCompiledProvider } from "./install";
import { runCheckDiffStorm, serializeDoNothingProvider } from "./storm";
import { evaluateTargets } from "./targets";

/** What a run hands back: the report, and the chart when one was asked for. */
export interface BenchOutcome {
  report: BenchReport;
  chartSvg: string;
}

/**
 * The limiter's even pace, as a multiple of its window's average rate. Above 1, the window budget is what
 * binds and the pace only spreads each window's calls out: an even pace of exactly the window's rate would
 * lose every millisecond a timer fires late, call after call, where the window loses them once per window.
 */
const paceFactor = 1.25;

const defaultCredentials = {
  clientId: "sim-client",
  clientSecret: "sim-secret",
  partnerId: "sim-partner",
};

/** Runs the whole benchmark with `options`, writing progress lines to `log`. */
export async function runBenchmark(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<BenchOutcome> {
  const firewall: FirewallWindow = { limit: options.windowLimit, windowMs: options.windowMs };
  const limiter = limiterWindow(firewall, options.limiterMargin);
  const loadAverage = os.loadavg()[0];
  const installed = installCompiledProvider(REPO_ROOT);
  const sim = await startBenchSimulator(options, firewall);
  const providerConfig = {
    "plume:apiUrl": sim.url,
    "plume:tokenUrl": sim.tokenUrl,
    "plume:clientId": defaultCredentials.clientId,
    "plume:clientSecret": defaultCredentials.clientSecret,
    "plume:partnerId": defaultCredentials.partnerId,
    "plume:windowLimit": String(limiter.limit),
    "plume:windowMs": String(limiter.windowMs),
    "plume:maxRequestsPerSecond": String(windowRatePerSecond(limiter) * paceFactor),
  };
  const context: PhaseContext = {
    sim,
    firewall,
    providerConfig,
    secretKeys: ["plume:clientSecret"],
    hostDir: installed.projectDir,
    log,
  };
  const notes: string[] = [];
  const phases: PhaseFigures[] = [];
  const peaks: { phase: string; bytes: number }[] = [];
  const serializedProvider = DYNAMIC_PROVIDER_SOURCE;
  const resources = fleetResources(options.locations, serializedProvider);
  let createRun: PhaseRun | undefined;
  try {
    const steps: [string, typeof createResource][] = [
      ["create", createResource],
      ["no-change (check + diff)", checkAndDiffUnchanged],
      ["refresh (read)", refreshResource],
      ["update serviceId", updateServiceId],
      ["delete", deleteResource],
    ];
    for (const [phase, operation] of steps) {
      const run = await runProviderPhase(context, phase, resources, operation);
      phases.push(run.figures);
      if (run.peakRssBytes !== undefined) peaks.push({ phase, bytes: run.peakRssBytes });
      for (const sample of run.failureSamples) notes.push(`${phase} failure: ${sample}`);
      if (phase === "create") createRun = run;
      // The next phase is a new process with a fresh limiter, like the next `pulumi` command: start it with
      // an empty firewall window, as minutes between two commands would.
      sim.advanceClock(options.windowMs);
    }
    const created = resources.filter((resource) => resource.id !== "");
    const stateBytesPerResource = averageStateBytes(created);
    log(`check + diff storm of ${options.checkDiffCount} resources`);
    const storm = await runCheckDiffStorm(context, options.checkDiffCount, created[0], serializedProvider);
    logStorm("provider", storm.figures, storm.failureSamples.length, log);
    const stormLabel = `check + diff storm of ${options.checkDiffCount}`;
    if (storm.figures.peakRssBytes !== undefined)
      peaks.push({ phase: stormLabel, bytes: storm.figures.peakRssBytes });
    for (const sample of storm.failureSamples) notes.push(`check + diff storm failure: ${sample}`);
    const floor = await runCheckDiffStorm(
      context,
      options.checkDiffCount,
      created[0],
      await serializeDoNothingProvider(),
    );
    logStorm("do-nothing provider (host floor)", floor.figures, floor.failureSamples.length, log);
    const providerBytes = Buffer.byteLength(serializedProvider);
    const floorSameSize = await runCheckDiffStorm(
      context,
      options.checkDiffCount,
      created[0],
      await serializeDoNothingProvider(providerBytes),
    );
    logStorm(`do-nothing provider padded to ${providerBytes} bytes`, floorSameSize.figures, 0, log);

    const baselines: PhaseFigures[] = [];
    let naiveMarks: CallMark[] = [];
    if (!options.skipBaselines && createRun && createRun.succeededCalls.length > 0) {
      const naive = await measureNaive(options, firewall, createRun.succeededCalls, log);
      baselines.push(naive.figures);
      naiveMarks = naive.marks;
      baselines.push(await measureSequential(options, firewall, createRun.succeededCalls, log));
      notes.push(
        `The baselines replay the ${createRun.succeededCalls.length} API calls the provider's create phase made ` +
          "successfully, each on a fresh simulator with the same firewall and latency, with one OAuth token.",
      );
    }

    const peak = peaks.reduce<{ phase: string; bytes: number } | undefined>(
      (best, entry) => (best === undefined || entry.bytes > best.bytes ? entry : best),
      undefined,
    );
    const run: RunFigures = {
      providerPeakRssBytes: peak?.bytes,
      providerPeakRssPhase: peak?.phase,
      serializedProviderBytes: Buffer.byteLength(serializedProvider, "utf8"),
      stateBytesPerResource,
      checkDiffStorm: storm.figures,
      checkDiffFloor: floor.figures,
      checkDiffFloorSameSize: floorSameSize.figures,
    };
    const setup: RunSetup = {
      locations: options.locations,
      firewall,
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      providerConfig: Object.fromEntries(
        Object.entries(providerConfig).filter(([key]) =>
          /windowLimit|windowMs|maxRequestsPerSecond/.test(key),
        ),
      ),
      providerInstall:
        "compiled JavaScript in a temporary project's `node_modules/pulumi-plume`, as `npm install` gives users",
      tokenLifetimeSeconds: options.tokenTtlSeconds,
      loadAverage,
      node: process.version,
      cpus: os.cpus().length,
    };
    notes.push(
      "Each phase runs in its own provider host process, as each `pulumi` command does, and starts with an " +
        "empty firewall window (the run moves the simulator's clock on by one window between phases).",
    );
    const report: BenchReport = {
      setup,
      phases,
      baselines,
      run,
      targets: evaluateTargets(setup, phases, run),
      notes,
    };
    const chartSvg = renderCallsChart({
      title: `${options.locations} creates against a firewall of ${firewall.limit} calls per ${firewall.windowMs / 1000} s`,
      windowRatePerSecond: windowRatePerSecond(firewall),
      panels: [
        { title: "pulumi-plume (shared limiter, retries)", buckets: bucketCalls(createRun?.marks ?? []) },
        ...(naiveMarks.length > 0
          ? [{ title: "naive client (all at once, no limiter, no retry)", buckets: bucketCalls(naiveMarks) }]
          : []),
      ],
    });
    return { report, chartSvg };
  } finally {
    await sim.close();
    installed.remove();
  }
}

function logStorm(
  who: string,
  storm: { checkSeconds: number; diffSeconds: number; hostCpuSeconds?: number; peakRssBytes?: number },
  failures: number,
  log: (line: string) => void,
): void {
  log(
    `storm, ${who}: check ${storm.checkSeconds.toFixed(2)} s + diff ${storm.diffSeconds.toFixed(2)} s, ` +
      `host CPU ${storm.hostCpuSeconds?.toFixed(2) ?? "?"} s, peak RSS ${((storm.peakRssBytes ?? 0) / 2 ** 20).toFixed(0)} MB, ` +
      `${failures} failures`,
  );
}

async function startBenchSimulator(options: BenchOptions, firewall: FirewallWindow): Promise<BenchSimulator> {
  return startSimulator({
    firewall: { limit: firewall.limit, windowMs: firewall.windowMs },
    latency: { fixedMs: options.latencyMs, jitterMs: options.jitterMs },
    tokenTtlSeconds: options.tokenTtlSeconds,
    seed: fleetSeed(options.locations),
    random: seededRandom(options.seed),
    requestLogLimit: Math.max(10_000, options.locations * 20),
  });
}

/** The simulator's customers: one location each, as most ISP subscribers have. */
function fleetSeed(locations: number) {
  return {
    customers: Array.from({ length: locations }, (_, index) => ({
      id: customerId(index),
      locations: [{ id: locationId(index), name: `Bench home ${index}`, profile: "auto" }],
    })),
  };
}

function fleetResources(locations: number, serializedProvider: string): TrackedResource[] {
  return Array.from({ length: locations }, (_, index) => ({
    name: `location-${index}`,
    inputs: {
      customerId: customerId(index),
      locationId: locationId(index),
      serviceId: `svc-${index}`,
      profile: index % 10 === 0 ? "smallbusiness" : "auto",
      __provider: serializedProvider,
    },
    id: "",
    outputs: {},
  }));
}

function customerId(index: number): string {
  return `bench-customer-${String(index).padStart(6, "0")}`;
}

function locationId(index: number): string {
  return `bench-location-${String(index).padStart(6, "0")}`;
}

/** Bytes the engine stores per resource: its inputs and its outputs, each holding `__provider`. */
function averageStateBytes(resources: TrackedResource[]): number {
  if (resources.length === 0) return 0;
  const total = resources.reduce(
    (sum, resource) =>
      sum + Buffer.byteLength(JSON.stringify({ inputs: resource.inputs, outputs: resource.outputs })),
    0,
  );
  return Math.round(total / resources.length);
}

async function measureNaive(
  options: BenchOptions,
  firewall: FirewallWindow,
  calls: ApiCall[],
  log: (line: string) => void,
): Promise<{ figures: PhaseFigures; marks: CallMark[] }> {
  const sim = await startBenchSimulator(options, firewall);
  try {
    sim.resetCounters();
    const result = await runNaiveBaseline(baselineTarget(sim), calls);
    const counters = sim.counters();
    const times = sim.callTimes();
    log(`naive baseline: ${result.failures}/${result.calls} calls failed in ${result.seconds.toFixed(1)} s`);
    return {
      figures: baselineFigures("create (same calls)", "naive", calls.length, result, counters, firewall),
      marks: [
        ...times.accepted.map((atMs) => ({ atMs, rejected: false })),
        ...times.rejected.map((atMs) => ({ atMs, rejected: true })),
      ],
    };
  } finally {
    await sim.close();
  }
}

async function measureSequential(
  options: BenchOptions,
  firewall: FirewallWindow,
  calls: ApiCall[],
  log: (line: string) => void,
): Promise<PhaseFigures> {
  const sim = await startBenchSimulator(options, firewall);
  try {
    sim.resetCounters();
    const result = await runSequentialBaseline(baselineTarget(sim), calls, options.sequentialBudgetSeconds);
    const figures = baselineFigures(
      "create (same calls)",
      "sequential",
      calls.length,
      result,
      sim.counters(),
      firewall,
    );
    if (result.calls < calls.length) {
      figures.extrapolatedFrom = { operations: result.calls, seconds: result.seconds };
      figures.wallSeconds = extrapolateSeconds(result, calls.length);
      figures.ratio = ratioToLimit(figures.wallSeconds, calls.length, firewall);
    }
    log(
      `sequential baseline: ${result.calls}/${calls.length} calls in ${result.seconds.toFixed(1)} s` +
        (figures.extrapolatedFrom ? `, ${figures.wallSeconds.toFixed(1)} s extrapolated for all` : ""),
    );
    return figures;
  } finally {
    await sim.close();
  }
}

function baselineFigures(
  phase: string,
  client: "naive" | "sequential",
  totalCalls: number,
  result: Awaited<ReturnType<typeof runNaiveBaseline>>,
  counters: ReturnType<BenchSimulator["counters"]>,
  firewall: FirewallWindow,
): PhaseFigures {
  return {
    phase,
    client,
    operations: totalCalls,
    failedOperations: result.failures,
    wallSeconds: result.seconds,
    apiCalls: counters.apiCalls,
    firewallRejections: counters.firewallRejections,
    tooManyRequests: counters.byStatus["429"] ?? 0,
    retries: result.retries,
    tokenRequests: counters.tokenRequests,
    physicalLimitSeconds: physicalLimitSeconds(totalCalls, firewall),
    ratio: ratioToLimit(result.seconds, totalCalls, firewall),
  };
}

function baselineTarget(sim: BenchSimulator): BaselineTarget {
  return { apiUrl: sim.url, tokenUrl: sim.tokenUrl, ...defaultCredentials };
}
