// `plume-simulator`: runs the simulator until SIGINT or SIGTERM. Prints one line of JSON on stdout once
// listening (URLs and credentials, for scripts) and a human summary on stderr.
import { SimulatorOptionsError, type SimulatorOptions } from "./options";
import type { RequestLogEntry } from "./requestLog";
import { startSimulator, type RunningSimulator } from "./server";
import { SimulatorStateError } from "./state";

/** The CLI's port when `--port` is not given: fixed, so a demo's stack config can name it. */
export const DEFAULT_CLI_PORT = 4010;

/** The `--help` text. */
export const USAGE = `Usage: plume-simulator [options]

Runs a local stand-in for Plume Cloud: the OAuth2 token endpoint, admin login, the locations API, the
firewall's rate limit, fault injection, and a control surface under /__sim/ (see docs/simulator.md).

Options:
  --port <n>                 TCP port; 0 picks a free one                         (default ${DEFAULT_CLI_PORT})
  --host <address>           interface to bind; /__sim/ has no auth, keep it local (default 127.0.0.1)
  --cloud-id <id>            id in the token URL /oauth2/<id>/v1/token             (default sim-cloud)
  --seed <file>              JSON seed: {"customers":[{"id","locations":[{"id",...}]}]}
  --generate <C>x<L>         create C customers with L locations each, e.g. 100x10
  --persist <file>           keep state in this JSON file (loaded at start if present, then
                             --seed and --generate are skipped; written after each change)
  --firewall-limit <n>       calls per client IP per window                       (default 2000)
  --firewall-window-ms <ms>  length of the rolling window                          (default 300000)
  --latency-ms <ms>          fixed latency added to each request                  (default 0)
  --jitter-ms <ms>           extra random latency, 0..ms                          (default 0)
  --token-ttl <seconds>      OAuth2 access token lifetime                         (default 600)
  --login-ttl <seconds>      admin-login token lifetime                           (default 1209600)
  --random-5xx-rate <0..1>   share of requests answered with a 500 or 503         (default 0)
  --request-log-limit <n>    requests kept in the request log                     (default 10000)
  --log-requests             print one line per request on stderr
  -h, --help                 show this help

On start, stdout gets one line of JSON: {"event":"listening","url",...,"credentials":{...}}.
Stops cleanly on SIGINT or SIGTERM (pending state is written to --persist first).`;

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

type FlagKind = "integer" | "number" | "text" | "switch" | "fleet";

const FLAGS: Record<string, FlagKind> = {
  "--port": "integer",
  "--host": "text",
  "--cloud-id": "text",
  "--seed": "text",
  "--generate": "fleet",
  "--persist": "text",
  "--firewall-limit": "integer",
  "--firewall-window-ms": "integer",
  "--latency-ms": "integer",
  "--jitter-ms": "integer",
  "--token-ttl": "integer",
  "--login-ttl": "integer",
  "--random-5xx-rate": "number",
  "--request-log-limit": "integer",
  "--log-requests": "switch",
  "--help": "switch",
  "-h": "switch",
};

/** Parses the arguments (after the program name), reporting every problem at once. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const problems: string[] = [];
  const values = new Map<string, string | number | boolean>();
  let generate: CliCommand["generate"];

  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const equals = argument.startsWith("--") ? argument.indexOf("=") : -1;
    const flag = equals > 0 ? argument.slice(0, equals) : argument;
    const kind = FLAGS[flag];
    if (!kind) {
      problems.push(`Unknown option ${flag}.`);
      continue;
    }
    if (kind === "switch") {
      if (equals > 0) problems.push(`${flag} takes no value.`);
      values.set(flag, true);
      continue;
    }
    let raw: string | undefined;
    if (equals > 0) raw = argument.slice(equals + 1);
    else if (index + 1 < argv.length && !argv[index + 1]!.startsWith("--")) raw = argv[(index += 1)];
    if (raw === undefined || raw === "") {
      problems.push(`${flag} needs a value.`);
      continue;
    }
    if (kind === "text") values.set(flag, raw);
    else if (kind === "fleet") {
      const match = /^(\d+)x(\d+)$/.exec(raw);
      if (match) generate = { customers: Number(match[1]), locationsPerCustomer: Number(match[2]) };
      else problems.push(`${flag} must look like <customers>x<locations>, e.g. 100x10; got "${raw}".`);
    } else {
      const number = Number(raw);
      const valid = kind === "integer" ? /^\d+$/.test(raw) : raw.trim() !== "" && Number.isFinite(number);
      if (valid) values.set(flag, number);
      else
        problems.push(`${flag} must be ${kind === "integer" ? "a whole number" : "a number"}; got "${raw}".`);
    }
  }
  if (problems.length > 0) throw new CliUsageError(problems);

  const get = <T>(flag: string) => values.get(flag) as T | undefined;
  const options: SimulatorOptions = { port: get<number>("--port") ?? DEFAULT_CLI_PORT };
  const assign = <K extends keyof SimulatorOptions>(key: K, value: SimulatorOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value;
  };
  assign("host", get<string>("--host"));
  assign("cloudId", get<string>("--cloud-id"));
  assign("seedFile", get<string>("--seed"));
  assign("persistFile", get<string>("--persist"));
  assign("tokenTtlSeconds", get<number>("--token-ttl"));
  assign("loginTtlSeconds", get<number>("--login-ttl"));
  assign("random5xxRate", get<number>("--random-5xx-rate"));
  assign("requestLogLimit", get<number>("--request-log-limit"));
  if (values.has("--firewall-limit") || values.has("--firewall-window-ms")) {
    options.firewall = {};
    if (values.has("--firewall-limit")) options.firewall.limit = get<number>("--firewall-limit");
    if (values.has("--firewall-window-ms")) options.firewall.windowMs = get<number>("--firewall-window-ms");
  }
  if (values.has("--latency-ms") || values.has("--jitter-ms")) {
    options.latency = {
      fixedMs: get<number>("--latency-ms") ?? 0,
      jitterMs: get<number>("--jitter-ms") ?? 0,
    };
  }
  return {
    help: values.has("--help") || values.has("-h"),
    options,
    ...(generate ? { generate } : {}),
    logRequests: values.has("--log-requests"),
  };
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
