// `plume-simulator`: runs the simulator until SIGINT or SIGTERM. Prints one line of JSON on stdout once
// listening (URLs and credentials, for scripts) and a human summary on stderr.
import { parseArgs } from "node:util";
import { SIMULATOR_DEFAULTS, SimulatorOptionsError, type SimulatorOptions } from "./options";
import type { RequestLogEntry } from "./requestLog";
import type { RunningSimulator } from "./runningSimulator";
import { startSimulator } from "./server";
import { SimulatorStateError } from "./state";

/** The CLI's port when `--port` is not given: fixed, so a demo's stack config can name it. */
export const DEFAULT_CLI_PORT = 4010;

/** How a flag's value is read. */
type FlagKind = "integer" | "number" | "text" | "switch" | "fleet";

/** One command-line flag: its value, its line in `--help`, and where it goes in the command. */
interface Flag {
  /** The long name, without `--`. */
  name: string;
  kind: FlagKind;
  /** What the value looks like in `--help`: `<n>`, `<file>`. */
  value?: string;
  /** What it does, for `--help`. */
  help: string;
  /** The default shown in `--help`, taken from the simulator's options. */
  shownDefault?: string | number;
  /** Puts a parsed value into the command. */
  apply?: (command: CliCommand, value: string | number) => void;
}

const D = SIMULATOR_DEFAULTS;

/** Every flag, in `--help` order. */
const FLAGS: readonly Flag[] = [
  numberFlag(
    "port",
    "integer",
    "<n>",
    "TCP port; 0 picks a free one",
    DEFAULT_CLI_PORT,
    (o, v) => (o.port = v),
  ),
  textFlag(
    "host",
    "<address>",
    "interface to bind; /__sim/ has no auth, keep it local",
    D.host,
    (o, v) => (o.host = v),
  ),
  textFlag(
    "cloud-id",
    "<id>",
    "id in the token URL /oauth2/<id>/v1/token",
    D.cloudId,
    (o, v) => (o.cloudId = v),
  ),
  textFlag(
    "seed",
    "<file>",
    'JSON seed: {"customers":[{"id","locations":[{"id",...}]}]}',
    undefined,
    (o, v) => (o.seedFile = v),
  ),
  {
    name: "generate",
    kind: "fleet",
    value: "<C>x<L>",
    help: "create C customers with L locations each, e.g. 100x10",
  },
  textFlag(
    "persist",
    "<file>",
    "keep state in this JSON file (loaded at start if present, then\n--seed and --generate are skipped; written after each change)",
    undefined,
    (o, v) => (o.persistFile = v),
  ),
  numberFlag(
    "firewall-limit",
    "integer",
    "<n>",
    "calls per client IP per window",
    D.firewall.limit,
    (o, v) => {
      o.firewall = { ...o.firewall, limit: v };
    },
  ),
  numberFlag(
    "firewall-window-ms",
    "integer",
    "<ms>",
    "length of the rolling window",
    D.firewall.windowMs,
    (o, v) => {
      o.firewall = { ...o.firewall, windowMs: v };
    },
  ),
  numberFlag(
    "latency-ms",
    "integer",
    "<ms>",
    "fixed latency added to each request",
    D.latency.fixedMs,
    (o, v) => {
      o.latency = { fixedMs: v, jitterMs: o.latency?.jitterMs ?? D.latency.jitterMs };
    },
  ),
  numberFlag("jitter-ms", "integer", "<ms>", "extra random latency, 0..ms", D.latency.jitterMs, (o, v) => {
    o.latency = { fixedMs: o.latency?.fixedMs ?? D.latency.fixedMs, jitterMs: v };
  }),
  numberFlag(
    "token-ttl",
    "integer",
    "<seconds>",
    "OAuth2 access token lifetime",
    D.tokenTtlSeconds,
    (o, v) => (o.tokenTtlSeconds = v),
  ),
  numberFlag(
    "login-ttl",
    "integer",
    "<seconds>",
    "admin-login token lifetime",
    D.loginTtlSeconds,
    (o, v) => (o.loginTtlSeconds = v),
  ),
  numberFlag(
    "random-5xx-rate",
    "number",
    "<0..1>",
    "share of requests answered with a 500 or 503",
    D.random5xxRate,
    (o, v) => (o.random5xxRate = v),
  ),
  numberFlag(
    "request-log-limit",
    "integer",
    "<n>",
    "requests kept in the request log",
    D.requestLogLimit,
    (o, v) => (o.requestLogLimit = v),
  ),
  { name: "log-requests", kind: "switch", help: "print one line per request on stderr" },
  { name: "help", kind: "switch", help: "show this help" },
];

/** A flag whose text value goes into the simulator's options. */
function textFlag(
  name: string,
  value: string,
  help: string,
  shownDefault: string | undefined,
  set: (options: SimulatorOptions, value: string) => void,
): Flag {
  return {
    name,
    kind: "text",
    value,
    help,
    shownDefault,
    apply: (command, parsed) => set(command.options, String(parsed)),
  };
}

/** A flag whose number goes into the simulator's options. */
function numberFlag(
  name: string,
  kind: "integer" | "number",
  value: string,
  help: string,
  shownDefault: number,
  set: (options: SimulatorOptions, value: number) => void,
): Flag {
  return {
    name,
    kind,
    value,
    help,
    shownDefault,
    apply: (command, parsed) => set(command.options, Number(parsed)),
  };
}

/** The `--help` text; every default comes from the simulator's options (`SIMULATOR_DEFAULTS`). */
export const USAGE = [
  "Usage: plume-simulator [options]",
  "",
  "Runs a local stand-in for Plume Cloud: the OAuth2 token endpoint, admin login, the locations API, the",
  "firewall's rate limit, fault injection, and a control surface under /__sim/ (see docs/simulator.md).",
  "",
  "Options:",
  ...FLAGS.flatMap(usageLines),
  "",
  'On start, stdout gets one line of JSON: {"event":"listening","url",...,"credentials":{...}}.',
  "Stops cleanly on SIGINT or SIGTERM (pending state is written to --persist first).",
].join("\n");

function usageLines({ name, value, help, shownDefault }: Flag): string[] {
  const synopsis = `${name === "help" ? "-h, " : ""}--${name}${value ? ` ${value}` : ""}`;
  const lines = help.split("\n");
  if (shownDefault !== undefined) {
    const last = lines.length - 1;
    lines[last] = `${lines[last].padEnd(52)} (default ${shownDefault})`;
  }
  return lines.map((line, index) => `  ${(index === 0 ? synopsis : "").padEnd(27)}${line}`);
}

/** A command line that cannot be run; lists every problem. */
export class CliUsageError extends Error {
  override name = "CliUsageError";
  constructor(readonly problems: string[]) {
    super(`${problems.join("\n")}\nRun plume-simulator --help for the options.`);
  }
}

/** What the command line asks for. */
export interface CliCommand {
  help: boolean;
  options: SimulatorOptions;
  generate?: { customers: number; locationsPerCustomer: number };
  logRequests: boolean;
}

const PARSE_OPTIONS = Object.fromEntries(
  FLAGS.map(({ name, kind }) => [
    name,
    kind === "switch"
      ? { type: "boolean" as const, ...(name === "help" ? { short: "h" } : {}) }
      : { type: "string" as const },
  ]),
);

type ArgToken = NonNullable<ReturnType<typeof parseArgs>["tokens"]>[number];

/**
 * The arguments as `node:util` `parseArgs` reads them, leniently (every problem is reported, not only the
 * first). A flag is never taken as the value of the flag before it: `--seed --latency-ms 5` is a `--seed`
 * without a value, then `--latency-ms 5` (a value may start with one `-`, as in `-5`).
 */
function argumentTokens(argv: readonly string[]): ArgToken[] {
  const tokens: ArgToken[] = [];
  let rest = [...argv];
  for (;;) {
    const found = parseArgs({
      args: rest,
      options: PARSE_OPTIONS,
      strict: false,
      allowPositionals: true,
      tokens: true,
    }).tokens;
    const swallowed = found.findIndex(
      (token) => token.kind === "option" && token.inlineValue === false && token.value?.startsWith("--"),
    );
    if (swallowed < 0) return [...tokens, ...found];
    const token = found[swallowed] as Extract<ArgToken, { kind: "option" }>;
    tokens.push(...found.slice(0, swallowed), { ...token, value: undefined, inlineValue: undefined });
    rest = rest.slice(token.index + 1);
  }
}

/** Parses the arguments (after the program name), reporting every problem at once. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const problems: string[] = [];
  const command: CliCommand = { help: false, logRequests: false, options: { port: DEFAULT_CLI_PORT } };
  for (const token of argumentTokens(argv)) {
    if (token.kind === "positional") {
      problems.push(`Unknown option ${token.value}.`);
      continue;
    }
    if (token.kind !== "option") continue;
    const spec = FLAGS.find((known) => known.name === token.name);
    if (!spec) {
      problems.push(`Unknown option ${token.rawName}.`);
      continue;
    }
    const rawName = token.rawName.startsWith("--") ? `--${spec.name}` : token.rawName;
    if (spec.kind === "switch") {
      if (token.value !== undefined) problems.push(`${rawName} takes no value.`);
      else if (spec.name === "help") command.help = true;
      else command.logRequests = true;
      continue;
    }
    const raw = token.value;
    if (raw === undefined || raw === "") {
      problems.push(`${rawName} needs a value.`);
      continue;
    }
    if (spec.kind === "fleet") {
      const match = /^(\d+)x(\d+)$/.exec(raw);
      if (match) command.generate = { customers: Number(match[1]), locationsPerCustomer: Number(match[2]) };
      else problems.push(`${rawName} must look like <customers>x<locations>, e.g. 100x10; got "${raw}".`);
      continue;
    }
    if (spec.kind === "text") {
      spec.apply?.(command, raw);
      continue;
    }
    const number = Number(raw);
    const valid = spec.kind === "integer" ? /^\d+$/.test(raw) : raw.trim() !== "" && Number.isFinite(number);
    if (valid) spec.apply?.(command, number);
    else
      problems.push(
        `${rawName} must be ${spec.kind === "integer" ? "a whole number" : "a number"}; got "${raw}".`,
      );
  }
  if (problems.length > 0) throw new CliUsageError(problems);
  return command;
}

/** Where the CLI writes. */
export interface CliOutput {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const PROCESS_OUTPUT: CliOutput = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** What `runCli` ended with: a running simulator, or an exit code to leave with. */
export interface CliOutcome {
  sim?: RunningSimulator;
  /** 0 after --help or a start, 2 for a usage error, 1 when the simulator could not start. */
  exitCode: number;
}

/** Runs the CLI: starts the simulator and returns it (it keeps running), or an exit code. */
export async function runCli(
  argv: readonly string[] = process.argv.slice(2),
  output: CliOutput = PROCESS_OUTPUT,
): Promise<CliOutcome> {
  let command: CliCommand;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    output.stderr(`plume-simulator: ${(error as Error).message}`);
    return { exitCode: 2 };
  }
  if (command.help) {
    output.stdout(USAGE);
    return { exitCode: 0 };
  }
  if (command.logRequests) command.options.onRequest = (entry) => output.stderr(describeRequest(entry));

  let sim: RunningSimulator;
  try {
    sim = await startSimulator(command.options);
    const persisted = command.options.persistFile !== undefined && sim.state.size().customers > 0;
    if (command.generate && !persisted) sim.state.generate(command.generate);
  } catch (error) {
    const known = error instanceof SimulatorOptionsError || error instanceof SimulatorStateError;
    output.stderr(`plume-simulator: cannot start: ${known ? (error as Error).message : String(error)}`);
    return { exitCode: known ? 2 : 1 };
  }

  const size = sim.state.size();
  output.stdout(
    JSON.stringify({
      event: "listening",
      url: sim.url,
      tokenUrl: sim.tokenUrl,
      controlUrl: sim.controlUrl,
      credentials: sim.credentials,
      customers: size.customers,
      locations: size.locations,
      ...(command.options.persistFile ? { persistFile: command.options.persistFile } : {}),
    }),
  );
  const { credentials } = sim;
  output.stderr(
    [
      `Plume Cloud simulator listening on ${sim.url} (${size.customers} customers, ${size.locations} locations)`,
      `  token URL:   ${sim.tokenUrl}`,
      `  OAuth:       client ${credentials.clientId} / ${credentials.clientSecret}, partner ${credentials.partnerId}`,
      `  admin login: ${credentials.email} / ${credentials.password}`,
      `  control:     ${sim.controlUrl} (no auth: keep it on loopback)`,
      "Stop with Ctrl-C.",
    ].join("\n"),
  );
  return { sim, exitCode: 0 };
}

/**
 * Stops the simulator `running` resolves to on SIGINT or SIGTERM (once it has started, if it is still
 * starting), then exits with status 0.
 */
export function stopOnSignals(
  running: Promise<RunningSimulator | undefined>,
  output: CliOutput = PROCESS_OUTPUT,
): void {
  const stop = (signal: NodeJS.Signals) => {
    output.stderr(`plume-simulator: ${signal}, stopping`);
    running
      .then((sim) => sim?.close())
      .then(
        () => process.exit(0),
        (error: Error) => {
          output.stderr(`plume-simulator: stopping failed: ${error.message}`);
          process.exit(1);
        },
      );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function describeRequest(entry: RequestLogEntry): string {
  const fault = entry.fault ? ` [${entry.fault}]` : "";
  return `${entry.at} ${entry.ip} ${entry.method} ${entry.path} ${entry.authScheme} -> ${entry.status || "reset"} ${entry.durationMs}ms${fault}`;
}

/** The program: what `bin/plume-simulator.js` and `npm run simulator` run. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const outcome = runCli(argv);
  // Caught before the simulator says it is listening: a script that stops it as soon as it reads that line
  // must not meet Node's default action for the signal, which exits at once, with a status of null.
  stopOnSignals(outcome.then(({ sim }) => sim));
  const { sim, exitCode } = await outcome;
  if (!sim) process.exitCode = exitCode;
}

if (require.main === module) void main();
