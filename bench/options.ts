// The benchmark's command-line flags: their defaults, the help text, and one function that parses and
// validates them, reporting every problem at once.
import { parseArgs } from "node:util";

/** Everything `npm run bench:host` can be told. */
export interface BenchOptions {
  /**
   * How many PlumeLocationService resources each phase drives.
   * @default 1000
   */
  locations: number;
  /**
   * Calls the simulated firewall accepts per rolling window (Plume's real firewall: 2,000).
   * @default 100
   */
  windowLimit: number;
  /**
   * Length of the simulated firewall's rolling window in milliseconds (Plume's real firewall: 300,000).
   * @default 5000
   */
  windowMs: number;
  /**
   * Fixed latency the simulator adds to every API call, in milliseconds.
   * @default 40
   */
  latencyMs: number;
  /**
   * Random extra latency per call, uniformly between 0 and this many milliseconds.
   * @default 20
   */
  jitterMs: number;
  /**
   * How many resources the no-change storm (check + diff) drives, for the 10,000-resource target.
   * @default 10000
   */
  checkDiffCount: number;
  /**
   * Lifetime of the simulator's OAuth tokens, in seconds (Plume sets 300 to 86,400 per partner).
   * @default 600
   */
  tokenTtlSeconds: number;
  /**
   * Seconds the sequential baseline may run before its rate is extrapolated to the whole phase.
   * @default 20
   */
  sequentialBudgetSeconds: number;
  /**
   * Share of the firewall window the provider's limiter keeps free, as a margin against clock skew
   * between the limiter and the firewall (0.05 = the limiter allows 95 of 100 calls per window).
   * @default 0.05
   */
  limiterMargin: number;
  /**
   * Where to write the SVG chart of calls per second; no chart when empty.
   * @default ""
   */
  chartPath: string;
  /**
   * Seed of the simulator's random choices (latency jitter, generated locations).
   * @default 6
   */
  seed: number;
  /**
   * Skip the naive and sequential baselines.
   * @default false
   */
  skipBaselines: boolean;
  /**
   * End the output with one line holding every figure as a JSON object.
   * @default false
   */
  json: boolean;
  /**
   * Print the help text and do nothing else.
   * @default false
   */
  help: boolean;
}

/** The defaults of every flag, as documented on {@link BenchOptions}. */
export const defaultBenchOptions: Readonly<BenchOptions> = Object.freeze({
  locations: 1000,
  windowLimit: 100,
  windowMs: 5000,
  latencyMs: 40,
  jitterMs: 20,
  checkDiffCount: 10000,
  tokenTtlSeconds: 600,
  sequentialBudgetSeconds: 20,
  limiterMargin: 0.05,
  chartPath: "",
  seed: 6,
  skipBaselines: false,
  json: false,
  help: false,
});

/** Thrown when the flags cannot be used; `problems` lists every one of them. */
export class BenchUsageError extends Error {
  override readonly name = "BenchUsageError";
  /** What to do about it. */
  readonly hint =
    "Run the benchmark with --help for its flags and their defaults (`npm run bench -- --help`, or `npm run bench:host -- --help`).";

  constructor(readonly problems: string[]) {
    super(`Invalid benchmark flags:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

interface NumericFlag {
  flag: string;
  key: keyof BenchOptions;
  min: number;
  integer: boolean;
}

const numericFlags: NumericFlag[] = [
  { flag: "locations", key: "locations", min: 1, integer: true },
  { flag: "window-limit", key: "windowLimit", min: 1, integer: true },
  { flag: "window-ms", key: "windowMs", min: 100, integer: true },
  { flag: "latency-ms", key: "latencyMs", min: 0, integer: true },
  { flag: "jitter-ms", key: "jitterMs", min: 0, integer: true },
  { flag: "check-diff-count", key: "checkDiffCount", min: 1, integer: true },
  { flag: "token-ttl-s", key: "tokenTtlSeconds", min: 60, integer: true },
  { flag: "sequential-budget-s", key: "sequentialBudgetSeconds", min: 1, integer: false },
  { flag: "limiter-margin", key: "limiterMargin", min: 0, integer: false },
  { flag: "seed", key: "seed", min: 0, integer: true },
];

const stringFlags = [...numericFlags.map(({ flag }) => flag), "chart"];
const booleanFlags = ["skip-baselines", "json", "help"];

/** The text `--help` prints. */
export const benchHelp = `Usage: npm run bench:host -- [flags]

Drives N PlumeLocationService resources through the real dynamic-provider host against the Plume
simulator (create, no-change check + diff, refresh, update, delete), compares the same API calls made by
a naive client and by a sequential loop, and prints the figures per phase.

Flags:
  --locations N             resources per phase                               (default 1000)
  --window-limit N          calls the simulated firewall accepts per window   (default 100)
  --window-ms MS            length of the firewall's rolling window           (default 5000)
  --latency-ms MS           fixed latency added to every API call             (default 40)
  --jitter-ms MS            random extra latency per call, 0..MS              (default 20)
  --check-diff-count N      resources in the no-change check + diff storm     (default 10000)
  --token-ttl-s S           lifetime of the simulator's OAuth tokens          (default 600)
  --sequential-budget-s S   seconds the sequential baseline runs before its
                            rate is extrapolated to the whole phase           (default 20)
  --limiter-margin F        share of the window the provider's limiter keeps
                            free (0.05 = 95 of 100 calls)                     (default 0.05)
  --chart FILE              write the calls-per-second chart (SVG) to FILE
  --seed N                  seed of the simulator's random choices            (default 6)
  --skip-baselines          skip the naive and sequential baselines
  --json                    end the output with one JSON line of every figure
  --help                    print this text
`;

/**
 * Parses the benchmark's flags (without the leading `node script` pair), applies the defaults and
 * validates every value. Throws a {@link BenchUsageError} listing every problem found.
 */
export function parseBenchFlags(argv: readonly string[]): BenchOptions {
  const parsed = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(stringFlags.map((flag) => [flag, { type: "string" as const }])),
      ...Object.fromEntries(booleanFlags.map((flag) => [flag, { type: "boolean" as const }])),
    },
  });
  const problems: string[] = [];
  for (const [flag, raw] of Object.entries(parsed.values)) {
    if (!stringFlags.includes(flag) && !booleanFlags.includes(flag)) {
      problems.push(`unknown flag --${flag}`);
    } else if (stringFlags.includes(flag) && typeof raw !== "string") {
      problems.push(`--${flag} needs a value`);
    } else if (booleanFlags.includes(flag) && typeof raw !== "boolean") {
      problems.push(`--${flag} takes no value`);
    }
  }
  const options: BenchOptions = { ...defaultBenchOptions };
  for (const { flag, key, min, integer } of numericFlags) {
    const raw = parsed.values[flag];
    if (typeof raw !== "string") continue;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      problems.push(`--${flag} must be a number, got "${raw}"`);
    } else if (integer && !Number.isInteger(value)) {
      problems.push(`--${flag} must be a whole number, got "${raw}"`);
    } else if (value < min) {
      problems.push(`--${flag} must be at least ${min}, got ${value}`);
    } else {
      (options[key] as number) = value;
    }
  }
  if (options.limiterMargin >= 1) {
    problems.push(`--limiter-margin must be below 1 (a share of the window), got ${options.limiterMargin}`);
  }
  if (parsed.positionals.length > 0) {
    problems.push(`unexpected argument(s): ${parsed.positionals.join(" ")}`);
  }
  if (problems.length > 0) throw new BenchUsageError(problems);
  options.chartPath = typeof parsed.values.chart === "string" ? parsed.values.chart : "";
  options.skipBaselines = parsed.values["skip-baselines"] === true;
  options.json = parsed.values.json === true;
  options.help = parsed.values.help === true;
  return options;
}
