// The flags of `npm run bench` (the real-CLI benchmark): defaults, help text, and one function that parses and
// validates them, reporting every problem at once.
import { parseArgs } from "node:util";
import type { ProviderDoor } from "./cliProject";
import { BenchUsageError } from "./options";

/** A Pulumi command of the benchmark, in the order they run. */
export type CliPhaseName = "up" | "preview" | "noop-up" | "refresh" | "edit-up" | "destroy";
/** `default`: the engine's checkpoints; `skip`: `PULUMI_SKIP_CHECKPOINTS=true`. */
export type CheckpointMode = "default" | "skip";

const allPhases: CliPhaseName[] = ["up", "preview", "noop-up", "refresh", "edit-up", "destroy"];
const allModes: CheckpointMode[] = ["default", "skip"];
const providerChoices: Record<string, ProviderDoor[]> = {
  dynamic: ["dynamic"],
  native: ["native"],
  both: ["dynamic", "native"],
};

/** Everything `npm run bench` can be told. */
export interface CliBenchOptions {
  /** Locations in the fleet (one PlumeLocationService each). @default 1000 */
  locations: number;
  /** Calls the simulated firewall accepts per rolling window (Plume's: 2,000). @default 100 */
  windowLimit: number;
  /** The simulated firewall's rolling window in milliseconds (Plume's: 300,000). @default 5000 */
  windowMs: number;
  /** Fixed latency the simulator adds to every call, in milliseconds. @default 40 */
  latencyMs: number;
  /** Random extra latency per call, 0 to this many milliseconds. @default 20 */
  jitterMs: number;
  /** Share of the window the provider's limiter keeps free (0.05: 95 of 100 calls). @default 0.05 */
  limiterMargin: number;
  /** Seed of the simulator's latency jitter. @default 6 */
  seed: number;
  /** The phases to run, in their fixed order. @default all six */
  phases: CliPhaseName[];
  /** The checkpoint modes to run, each a fresh stack. @default default and skip */
  checkpoints: CheckpointMode[];
  /**
   * The doors of pulumi-plume to run the phases through, each a fresh stack per checkpoint mode: `dynamic`
   * (the root program, PlumeLocationService) and `native` (bench/nativeProgram: plume.LocationService of the
   * generated SDK, served by the `plume` plugin). @default dynamic
   */
  providers: ProviderDoor[];
  /** Whether to run the do-nothing program too (first up, no-op preview, no-op up) for our share. @default true */
  doNothing: boolean;
  /** Where to write the chart of the first up's calls per second (SVG); none when empty. @default "" */
  chartPath: string;
  /** End the output with one JSON line of every figure. @default false */
  json: boolean;
  /** Print the help text and do nothing else. @default false */
  help: boolean;
}

/** The defaults of every flag. */
export const defaultCliBenchOptions: Readonly<CliBenchOptions> = Object.freeze({
  locations: 1000,
  windowLimit: 100,
  windowMs: 5000,
  latencyMs: 40,
  jitterMs: 20,
  limiterMargin: 0.05,
  seed: 6,
  phases: allPhases,
  checkpoints: allModes,
  providers: providerChoices.dynamic,
  doNothing: true,
  chartPath: "",
  json: false,
  help: false,
});

const numericFlags: { flag: string; key: keyof CliBenchOptions; min: number; integer: boolean }[] = [
  { flag: "locations", key: "locations", min: 1, integer: true },
  { flag: "window-limit", key: "windowLimit", min: 1, integer: true },
  { flag: "window-ms", key: "windowMs", min: 100, integer: true },
  { flag: "latency-ms", key: "latencyMs", min: 0, integer: true },
  { flag: "jitter-ms", key: "jitterMs", min: 0, integer: true },
  { flag: "limiter-margin", key: "limiterMargin", min: 0, integer: false },
  { flag: "seed", key: "seed", min: 0, integer: true },
];

/** The text `--help` prints. */
export const cliBenchHelp = `Usage: npm run bench -- [flags]

Runs the root program with N locations through the real Pulumi CLI (Automation API, file:// backend)
against the Plume simulator with a compressed firewall: first up, no-op preview, no-op up, refresh, up with
10 % of the entries edited, destroy; with the engine's default checkpoints and with
PULUMI_SKIP_CHECKPOINTS=true; through the dynamic provider, the native plugin or both (--provider); then the
same fleet through a provider that does nothing. Prints per phase and door the wall time, API calls, firewall
403s, failures, CPU by process role, checkpoint writes and state size.
(\`npm run bench:host\` drives the dynamic-provider host alone, without the engine.)

Flags:
  --locations N          locations in the fleet                              (default 1000)
  --window-limit N       calls the simulated firewall accepts per window     (default 100)
  --window-ms MS         length of the firewall's rolling window             (default 5000)
  --latency-ms MS        fixed latency added to every API call               (default 40)
  --jitter-ms MS         random extra latency per call, 0..MS                (default 20)
  --limiter-margin F     share of the window the provider's limiter keeps free (default 0.05)
  --seed N               seed of the simulator's latency jitter              (default 6)
  --phases LIST          comma-separated: ${allPhases.join(",")} (default all)
  --checkpoints LIST     comma-separated: default,skip                        (default both)
  --provider DOOR        dynamic (the root program), native (the same fleet through the
                         generated SDK and the plume plugin) or both           (default dynamic)
  --no-do-nothing        skip the do-nothing program (no "our share" figure)
  --chart FILE           write the first up's calls per second (SVG) to FILE
  --json                 end the output with one JSON line of every figure
  --help                 print this text
`;

/** Parses the flags (without `node script`), applies the defaults and validates, reporting every problem. */
export function parseCliBenchFlags(argv: string[]): CliBenchOptions {
  const problems: string[] = [];
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(numericFlags.map(({ flag }) => [flag, { type: "string" as const }])),
        phases: { type: "string" },
        checkpoints: { type: "string" },
        provider: { type: "string" },
        chart: { type: "string" },
        "no-do-nothing": { type: "boolean" },
        json: { type: "boolean" },
        help: { type: "boolean" },
      },
    });
  } catch (error) {
    throw new BenchUsageError([(error as Error).message]);
  }
  const options: CliBenchOptions = { ...defaultCliBenchOptions };
  for (const { flag, key, min, integer } of numericFlags) {
    const raw = (parsed.values as Record<string, unknown>)[flag];
    if (typeof raw !== "string") continue;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value))
      problems.push(`--${flag} must be a number, got "${raw}"`);
    else if (integer && !Number.isInteger(value))
      problems.push(`--${flag} must be a whole number, got "${raw}"`);
    else if (value < min) problems.push(`--${flag} must be at least ${min}, got ${value}`);
    else (options[key] as number) = value;
  }
  if (options.limiterMargin >= 1)
    problems.push(`--limiter-margin must be below 1, got ${options.limiterMargin}`);
  options.phases = listFlag(parsed.values.phases, allPhases, "phases", problems) ?? options.phases;
  options.checkpoints =
    listFlag(parsed.values.checkpoints, allModes, "checkpoints", problems) ?? options.checkpoints;
  const provider = parsed.values.provider;
  if (typeof provider === "string") {
    if (Object.hasOwn(providerChoices, provider)) options.providers = providerChoices[provider];
    else problems.push(`--provider takes dynamic, native or both; got "${provider}"`);
  }
  if (problems.length > 0) throw new BenchUsageError(problems);
  options.chartPath = typeof parsed.values.chart === "string" ? parsed.values.chart : "";
  options.doNothing = parsed.values["no-do-nothing"] !== true;
  options.json = parsed.values.json === true;
  options.help = parsed.values.help === true;
  return options;
}

function listFlag<T extends string>(
  raw: unknown,
  allowed: readonly T[],
  flag: string,
  problems: string[],
): T[] | undefined {
  if (typeof raw !== "string") return undefined;
  const items = raw.split(",").map((item) => item.trim());
  const unknown = items.filter((item) => !(allowed as readonly string[]).includes(item));
  if (unknown.length > 0 || items.length === 0) {
    problems.push(`--${flag} takes a comma-separated list of ${allowed.join(", ")}; got "${raw}"`);
    return undefined;
  }
  return allowed.filter((item) => items.includes(item));
}
