import { resolve } from "node:path";
import {
  FleetFileError,
  FleetValidationError,
  formatFleetProblem,
  loadFleet,
  type FleetProblem,
} from "../fleet";
import { COMMON_OPTIONS, fleetFormatOption, parseCommandArguments } from "./arguments";
import { UsageError } from "./cliError";
import { EXIT_CODES, type ExitCode } from "./exitCodes";
import type { CliIo } from "./io";
import { plural } from "./plural";

/** `plume-fleet validate --help`. */
export const VALIDATE_HELP = `Usage: plume-fleet validate <file>... [--format yaml|csv|json] [--json]

Checks fleet files as \`pulumi up\` would, without the network: every field, every duplicate, every
problem of every file at once, as \`file:line field: message\`. With --json, each problem has its file,
line, field, a stable code (required, invalid-id, duplicate-location, ...) and message.

Options:
  --format <format>  Read every file as yaml, csv or json (default: from each file's extension)
  --json             Print the result as JSON on stdout
  -h, --help         Show this help

Exit codes: 0 every file is valid; 1 a file has a problem, or cannot be read.
`;

/** The outcome of checking one file. */
interface FileResult {
  file: string;
  /** Locations in the file, when it has no problem. */
  locations?: number;
  problems: FleetProblem[];
}

/** A problem as `--json` prints it: the path under its documented name, `field`. */
function jsonProblem({ file, line, path, code, message }: FleetProblem) {
  return { file, line, field: path, code, message };
}

/** `plume-fleet validate <file>...`: the fleet loader's checks, no network. Exit 1 on any problem. */
export async function validateCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArguments("validate", args, {
    ...COMMON_OPTIONS,
    format: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(VALIDATE_HELP);
    return EXIT_CODES.ok;
  }
  if (positionals.length === 0) throw new UsageError("name at least one fleet file to validate", "validate");
  const format = fleetFormatOption("validate", values.format);

  const results = positionals.map((file) => checkFile(file, io.cwd, format));
  const problemCount = results.reduce((sum, result) => sum + result.problems.length, 0);
  if (values.json) {
    const files = results.map((result) => ({ ...result, problems: result.problems.map(jsonProblem) }));
    io.stdout.write(`${JSON.stringify({ ok: problemCount === 0, files }, null, 2)}\n`);
  } else {
    for (const result of results) {
      for (const problem of result.problems) io.stdout.write(`${formatFleetProblem(problem)}\n`);
      io.stdout.write(
        result.locations === undefined
          ? `${result.file}: ${plural(result.problems.length, "problem")}\n`
          : `${result.file}: ${plural(result.locations, "location")}, valid\n`,
      );
    }
    if (problemCount > 0) {
      io.stdout.write("Fix the lines above and run again; the format is described in docs/fleet.md.\n");
    }
  }
  return problemCount === 0 ? EXIT_CODES.ok : EXIT_CODES.failed;
}

function checkFile(file: string, cwd: string, format: "yaml" | "csv" | "json" | undefined): FileResult {
  try {
    const fleet = loadFleet(resolve(cwd, file), { fileName: file, ...(format ? { format } : {}) });
    return { file, locations: fleet.entries.length, problems: [] };
  } catch (error) {
    if (error instanceof FleetValidationError) return { file, problems: [...error.problems] };
    if (error instanceof FleetFileError) {
      const problem = { code: "unreadable-file", path: "", message: error.message, file, line: undefined };
      return { file, problems: [problem] };
    }
    throw error;
  }
}
