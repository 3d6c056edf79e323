// The `plume-fleet` command: validate, export and plan a fleet file without Pulumi. An adapter over the
// fleet loader, the Plume client and the provider's settings: it decides nothing they already decide.
import { PlumeError } from "../client/errors";
import { USER_AGENT } from "../client/userAgent";
import { FleetFileError } from "../fleet/fleetFileError";
import { PlumeSettingsError } from "../core/settings";
import { formatProblemList } from "../problem";
import { CliError, InterruptedError, UsageError } from "./cliError";
import { EXIT_CODES, type ExitCode } from "./exitCodes";
import type { CliIo } from "./io";

/** `plume-fleet --help`. */
export const MAIN_HELP = `Usage: plume-fleet <command> [options]

Fleet files without Pulumi: check them, write one from Plume as it is, and see what \`pulumi up\` would change.

Commands:
  validate <file>...   Check fleet files (no network): every problem, as file:line field: message
  export               Write the fleet file of Plume's current serviceIds and profiles
  plan <file>          Compare a fleet file with Plume (GETs only): what \`pulumi up\` would change

Settings: the provider's, from PLUME_* environment variables (PLUME_API_URL, PLUME_TOKEN_URL,
PLUME_CLIENT_ID, PLUME_CLIENT_SECRET, PLUME_PARTNER_ID, ...), or the plume:* keys of a stack settings file
given with --config Pulumi.<stack>.yaml (its encrypted secrets cannot be read: pass them as PLUME_*).

Exit codes: 0 done (plan: no difference); 1 problems or errors; 2 plan found differences; 130 Ctrl-C.
Run \`plume-fleet <command> --help\` for a command's options; docs/fleet.md has the details.
`;

// Loaded on demand: `validate` in a pre-commit hook should not pay for the HTTP client's start-up.
const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<ExitCode>>> = {
  validate: async (args, io) => (await import("./validateCommand")).validateCommand(args, io),
  export: async (args, io) => (await import("./exportCommand")).exportCommand(args, io),
  plan: async (args, io) => (await import("./planCommand")).planCommand(args, io),
};

/** Runs one `plume-fleet` command line (without the program name) and returns its exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.stdout.write(MAIN_HELP);
      return command === undefined ? EXIT_CODES.failed : EXIT_CODES.ok;
    }
    if (command === "--version") {
      io.stdout.write(`${USER_AGENT.split("/")[1]}\n`);
      return EXIT_CODES.ok;
    }
    const run = COMMANDS[command];
    if (run === undefined) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return await run(rest, io);
  } catch (error) {
    return reportFailure(error, io);
  }
}

function reportFailure(error: unknown, io: CliIo): ExitCode {
  if (error instanceof InterruptedError) {
    io.stderr.write("plume-fleet: interrupted; nothing was written.\n");
    return EXIT_CODES.interrupted;
  }
  if (error instanceof PlumeSettingsError) {
    // The provider's own hint speaks of `pulumi config set`; here the "stack config" is the --config file.
    io.stderr.write(
      `${formatProblemList("plume-fleet: invalid Plume connection settings", error.problems)}\n` +
        "Hint: set the PLUME_* environment variables, or give --config a stack settings file " +
        "(Pulumi.<stack>.yaml) whose plume:* keys stand for the stack config named above; pass secrets as " +
        "PLUME_* variables. The settings table is in the README (Configuration).\n",
    );
  } else if (error instanceof CliError) {
    io.stderr.write(`plume-fleet: ${error.message}\nHint: ${error.hint}\n`);
  } else if (error instanceof PlumeError || error instanceof FleetFileError) {
    io.stderr.write(
      `plume-fleet: ${error.message}\n${error instanceof PlumeError ? "Nothing was written.\n" : ""}`,
    );
  } else {
    io.stderr.write(`plume-fleet: unexpected failure: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  return EXIT_CODES.failed;
}

/**
 * The process entry of `bin/plume-fleet.js`: real streams and environment, Ctrl-C wired to the commands'
 * abort signal. Resolves the exit code once everything written to stdout is flushed.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  try {
    const code = await runCli(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      now: () => performance.now(),
      signal: interrupt.signal,
    });
    await new Promise<void>((flushed) => process.stdout.write("", () => flushed()));
    return code;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
