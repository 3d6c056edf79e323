// The real-CLI benchmark: the root program, compiled, run by the Pulumi CLI through the Automation API with a
// `file://` backend against the simulator, phase after phase, as an operator would run a fleet; then the same
// fleet through a provider that does nothing, for what Pulumi costs by itself.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type EngineEvent, LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { provisionPulumi } from "../scripts/provisionPulumi";
import { startSimulator, type RunningSimulator } from "../simulator";
import { bucketCalls, renderCallsChart, type CallMark } from "./chart";
import { seededRandom } from "./seededRandom";
import { CheckpointWatcher, checkpointBytes, resourceStateBytes } from "./checkpoints";
import {
  BENCH_PROJECT_NAME,
  createBenchProject,
  type BenchProgram,
  type BenchProject,
  type ProviderDoor,
} from "./cliProject";
import type { CheckpointMode, CliBenchOptions, CliPhaseName } from "./cliOptions";
import type { CliBenchReport, CliPhaseFigures, CliRunSetup } from "./cliFigures";
import { evaluateCliTargets } from "./cliTargets";
import { limiterWindow, physicalLimitSeconds, ratioToLimit, windowRatePerSecond } from "./limits";
import { DescendantCpuSampler } from "./processTree";

/** The limiter's even pace as a multiple of its window's average rate (see docs/performance.md). */
const paceFactor = 1.25;
const STACK = "bench";
const PASSPHRASE = "pulumi-plume-bench";

/** The Pulumi settings every run uses, besides the checkpoint mode: what docs/performance.md recommends. */
export const RECOMMENDED_PULUMI_ENV: Readonly<Record<string, string>> = Object.freeze({
  PULUMI_PARALLEL_DIFF: "true",
});

/** What a run hands back. */
export interface CliBenchOutcome {
  report: CliBenchReport;
  chartSvg: string;
}

/** What one project runs: a program through a door. */
interface BenchVariant {
  program: BenchProgram;
  door: ProviderDoor;
}

/**
 * Runs every checkpoint mode of `options` with the program of each door asked for (the root program on the
 * dynamic door, its twin on the native one), then with the do-nothing program.
 */
export async function runCliBenchmark(
  options: CliBenchOptions,
  repoRoot: string,
  log: (line: string) => void,
): Promise<CliBenchOutcome> {
  const loadAverage = os.loadavg()[0];
  const pulumi = await PulumiCommand.get({ root: await provisionPulumi() });
  const phases: CliPhaseFigures[] = [];
  const firstUpMarks = new Map<ProviderDoor, CallMark[]>();
  const variants: BenchVariant[] = [
    ...options.providers.map((door) => ({ program: "plume" as const, door })),
    ...(options.doNothing ? [{ program: "do-nothing" as const, door: "dynamic" as const }] : []),
  ];
  for (const variant of variants) {
    const project = createBenchProject(repoRoot, variant.program, variant.door);
    try {
      for (const checkpoints of options.checkpoints) {
        const run = await runVariant(options, pulumi, project, variant, checkpoints, log);
        phases.push(...run.phases);
        if (variant.program === "plume" && !firstUpMarks.has(variant.door))
          firstUpMarks.set(variant.door, run.firstUpMarks);
      }
    } finally {
      project.remove();
    }
  }
  const setup: CliRunSetup = {
    locations: options.locations,
    firewall: { limit: options.windowLimit, windowMs: options.windowMs },
    latencyMs: options.latencyMs,
    jitterMs: options.jitterMs,
    limiter: limiterConfig(options),
    pulumiEnv: { ...RECOMMENDED_PULUMI_ENV },
    pulumiVersion: pulumi.version?.toString() ?? "?",
    node: process.version,
    cpus: os.cpus().length,
    loadAverage,
  };
  const report: CliBenchReport = { setup, phases, targets: evaluateCliTargets(phases) };
  const chartSvg = renderCallsChart({
    title: `First up of ${options.locations} locations through the Pulumi CLI, firewall ${options.windowLimit} calls per ${options.windowMs / 1000} s`,
    windowRatePerSecond: windowRatePerSecond({ limit: options.windowLimit, windowMs: options.windowMs }),
    panels: [...firstUpMarks].map(([door, marks]) => ({
      title: `pulumi up (${door === "native" ? "native plume plugin" : "root program, dynamic provider"}, real engine)`,
      buckets: bucketCalls(marks),
    })),
  });
  return { report, chartSvg };
}

function limiterConfig(options: CliBenchOptions): Record<string, string> {
  const limiter = limiterWindow(
    { limit: options.windowLimit, windowMs: options.windowMs },
    options.limiterMargin,
  );
  return {
    "plume:windowLimit": String(limiter.limit),
    "plume:windowMs": String(limiter.windowMs),
    "plume:maxRequestsPerSecond": String(windowRatePerSecond(limiter) * paceFactor),
  };
}

interface VariantRun {
  phases: CliPhaseFigures[];
  firstUpMarks: CallMark[];
}

/** One program with one checkpoint mode: a fresh simulator, backend and stack, then every phase in order. */
async function runVariant(
  options: CliBenchOptions,
  pulumi: PulumiCommand,
  project: BenchProject,
  { program, door }: BenchVariant,
  checkpoints: CheckpointMode,
  log: (line: string) => void,
): Promise<VariantRun> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), "plume-bench-stack-"));
  const backendDir = path.join(workDir, "backend");
  const sim = await startBenchSimulator(options);
  try {
    const fleetFile = path.join(workDir, "fleet.json");
    writeFleet(fleetFile, options.locations, false);
    const envVars: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: path.join(workDir, "pulumi-home"),
      ...RECOMMENDED_PULUMI_ENV,
      ...(checkpoints === "skip" ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {}),
    };
    mkdirSync(backendDir);
    const stack = await LocalWorkspace.createStack(
      { stackName: STACK, workDir: project.dir },
      { workDir: project.dir, pulumiCommand: pulumi, envVars },
    );
    await stack.setAllConfig({
      "fleet:file": { value: fleetFile },
      "plume:apiUrl": { value: sim.url },
      "plume:tokenUrl": { value: sim.tokenUrl },
      "plume:clientId": { value: sim.credentials.clientId },
      "plume:partnerId": { value: sim.credentials.partnerId },
      "plume:clientSecret": { value: sim.credentials.clientSecret, secret: true },
      ...Object.fromEntries(Object.entries(limiterConfig(options)).map(([key, value]) => [key, { value }])),
    });
    const phases: CliPhaseFigures[] = [];
    let firstUpMarks: CallMark[] = [];
    const wanted =
      program === "plume"
        ? options.phases
        : options.phases.filter((phase) => noOpPhases.has(phase) || phase === "up");
    for (const phase of phaseOrder) {
      if (!wanted.includes(phase)) continue;
      if (phase === "edit-up") writeFleet(fleetFile, options.locations, true);
      // Every phase starts with an empty firewall window, as minutes between two commands would leave it: the
      // provider's limiter shares its window with the processes of the phase before (sharedBudget.ts).
      await new Promise((resolve) => setTimeout(resolve, options.windowMs));
      sim.resetCounters();
      const figures = await runPhase(stack, phase, sim, { options, program, door, checkpoints, backendDir });
      phases.push(figures);
      log(describe(figures));
      if (phase === "up") {
        const times = sim.callTimes();
        firstUpMarks = [
          ...times.accepted.map((atMs) => ({ atMs, rejected: false })),
          ...times.rejected.map((atMs) => ({ atMs, rejected: true })),
        ];
      }
    }
    return { phases, firstUpMarks };
  } finally {
    await sim.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

const phaseOrder: CliPhaseName[] = ["up", "preview", "noop-up", "refresh", "edit-up", "destroy"];
const noOpPhases = new Set<CliPhaseName>(["preview", "noop-up"]);

const phaseTitles: Record<CliPhaseName, string> = {
  up: "first up",
  preview: "no-op preview",
  "noop-up": "no-op up",
  refresh: "refresh",
  "edit-up": "up, 10 % edited",
  destroy: "destroy",
};

async function runPhase(
  stack: Stack,
  phase: CliPhaseName,
  sim: RunningSimulator,
  context: {
    options: CliBenchOptions;
    program: BenchProgram;
    door: ProviderDoor;
    checkpoints: CheckpointMode;
    backendDir: string;
  },
): Promise<CliPhaseFigures> {
  const { options, backendDir } = context;
  let failedOperations = 0;
  const onEvent = (event: EngineEvent) => {
    if (event.resOpFailedEvent) failedOperations += 1;
  };
  const watcher = new CheckpointWatcher(backendDir, BENCH_PROJECT_NAME, STACK);
  const sampler = new DescendantCpuSampler();
  const started = performance.now();
  let error: string | undefined;
  try {
    if (phase === "preview") await stack.preview({ onEvent });
    else if (phase === "refresh") await stack.refresh({ onEvent });
    else if (phase === "destroy") await stack.destroy({ onEvent });
    else await stack.up({ onEvent });
  } catch (caught) {
    error = (caught as Error).message.split("\n").slice(0, 3).join(" ");
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = sampler.stop();
  const writes = watcher.stop();
  const counters = sim.counters();
  const firewall = { limit: options.windowLimit, windowMs: options.windowMs };
  const stateBytes = checkpointBytes(backendDir, BENCH_PROJECT_NAME, STACK);
  const { accepted, rejected } = sim.callTimes();
  const callTimes = [...accepted, ...rejected];
  return {
    phase: phaseTitles[phase],
    program: context.program,
    provider: context.door,
    checkpoints: context.checkpoints,
    locations: options.locations,
    wallSeconds,
    apiCalls: counters.apiCalls,
    firewallRejections: counters.firewallRejections,
    failedOperations: failedOperations + (error !== undefined && failedOperations === 0 ? 1 : 0),
    error,
    cpu,
    checkpointSaves: writes.saves,
    checkpointBytesWritten: writes.bytes,
    stateBytesPerResource: stateBytes === 0 ? 0 : Math.round(stateBytes / options.locations),
    resourceState: resourceStateBytes(backendDir, BENCH_PROJECT_NAME, STACK),
    ...(callTimes.length > 0 && {
      calls: {
        firstSeconds: callTimes.reduce((least, atMs) => Math.min(least, atMs)) / 1000,
        lastSeconds: callTimes.reduce((most, atMs) => Math.max(most, atMs)) / 1000,
      },
    }),
    physicalLimitSeconds: physicalLimitSeconds(counters.apiCalls, firewall),
    ratio: ratioToLimit(wallSeconds, counters.apiCalls, firewall),
  };
}

function describe(figures: CliPhaseFigures): string {
  return (
    `${figures.program} (${figures.provider}), checkpoints ${figures.checkpoints}: ${figures.phase} in ${figures.wallSeconds.toFixed(1)} s, ` +
    `${figures.apiCalls} API calls, ${figures.firewallRejections} 403s, ${figures.failedOperations} failed, ` +
    `CPU ${figures.cpu.totalSeconds.toFixed(1)} s, ${figures.checkpointSaves} checkpoint saves` +
    (figures.calls
      ? `, calls from ${figures.calls.firstSeconds.toFixed(1)} s to ${figures.calls.lastSeconds.toFixed(1)} s`
      : "") +
    (figures.error ? ` — ${figures.error}` : "")
  );
}

async function startBenchSimulator(options: CliBenchOptions): Promise<RunningSimulator> {
  return startSimulator({
    firewall: { limit: options.windowLimit, windowMs: options.windowMs },
    latency: { fixedMs: options.latencyMs, jitterMs: options.jitterMs },
    seed: {
      customers: Array.from({ length: options.locations }, (_, index) => ({
        id: customerId(index),
        locations: [{ id: locationId(index), name: `Bench home ${index}`, profile: "auto" }],
      })),
    },
    random: seededRandom(options.seed),
    requestLogLimit: 1000,
  });
}

/** The fleet file: one location per customer, every tenth on WorkPass; `edited` changes every tenth serviceId. */
function writeFleet(file: string, locations: number, edited: boolean): void {
  const entries = Array.from({ length: locations }, (_, index) => ({
    customerId: customerId(index),
    locationId: locationId(index),
    serviceId: `svc-${index}${edited && index % 10 === 5 ? "-v2" : ""}`,
    profile: index % 10 === 0 ? "smallbusiness" : "auto",
  }));
  writeFileSync(file, JSON.stringify({ locations: entries }));
}

function customerId(index: number): string {
  return `bench-customer-${String(index).padStart(6, "0")}`;
}

function locationId(index: number): string {
  return `bench-location-${String(index).padStart(6, "0")}`;
}
