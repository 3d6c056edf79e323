import { resolve } from "node:path";
import { FleetValidationError, formatFleetProblem, loadFleet, type Fleet } from "../fleet";
import { COMMON_OPTIONS, CONNECTION_OPTIONS, fleetFormatOption, parseCommandArguments } from "./arguments";
import { UsageError } from "./cliError";
import { connectToPlume } from "./connect";
import { EXIT_CODES, type ExitCode } from "./exitCodes";
import type { CliIo } from "./io";
import { compareWithPlume, summarizePlan, type PlannedLocation, type PlanSummary } from "./planComparison";
import { readCustomersShowingProgress } from "./readCustomers";
import { plural } from "./plural";

/** `plume-fleet plan --help`. */
export const PLAN_HELP = `Usage: plume-fleet plan <file> [--format yaml|csv|json] [--config <Pulumi.stack.yaml>] [--all] [--json]

Compares a fleet file with Plume as it is now, and says per location what \`pulumi up\` would change:
  unchanged | serviceId a → b | profile a → b | missing in Plume
Reads only: one GET of each customer's list of locations (GET /api/Customers/<id>/locations), never a
PATCH. A location is "missing in Plume" when its customer's list, as Plume answers it, does not hold it.

Options:
  --format <format>    Read the file as yaml, csv or json (default: from its extension)
  -c, --config <file>  Read plume:* settings from a stack settings file (Pulumi.<stack>.yaml);
                       PLUME_* environment variables fill in what it does not set (and its secrets)
  --all                List unchanged locations too (default: only those that differ)
  --json               Print every location and the summary (or the file's problems) as JSON on stdout
  -h, --help           Show this help

Exit codes: 0 the file matches Plume; 2 it differs (changes, or locations missing in Plume);
1 the file has problems, a customer could not be read, or the settings are wrong; 130 interrupted.
`;

/** `plume-fleet plan <file>`: what `pulumi up` would change, against Plume as it is. GETs only. */
export async function planCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArguments("plan", args, {
    ...COMMON_OPTIONS,
    ...CONNECTION_OPTIONS,
    format: { type: "string" },
    all: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(PLAN_HELP);
    return EXIT_CODES.ok;
  }
  if (positionals.length !== 1) throw new UsageError("name exactly one fleet file to plan", "plan");
  const format = fleetFormatOption("plan", values.format);
  const fleet = loadOrReport(positionals[0], io, { format, asJson: values.json === true });
  if (fleet === undefined) return EXIT_CODES.failed;
  const client = connectToPlume(values.config, io);

  const customerIds = [...new Set(fleet.entries.map((entry) => entry.customerId))];
  const listings = await readCustomersShowingProgress(client, customerIds, io, {
    label: "plan",
    quiet: values.json === true,
  });
  const planned = compareWithPlume(fleet.entries, listings);
  const summary = summarizePlan(planned);

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ file: fleet.file, summary, locations: planned }, null, 2)}\n`);
  } else {
    for (const location of planned) {
      if (values.all || location.status !== "unchanged")
        io.stdout.write(`${describe(fleet.file, location)}\n`);
    }
    io.stdout.write(`${summaryLine(summary, customerIds.length)}\n`);
  }
  if (summary.unreadable > 0) return EXIT_CODES.failed;
  return summary.change + summary.missing > 0 ? EXIT_CODES.changes : EXIT_CODES.ok;
}

function loadOrReport(
  file: string,
  io: CliIo,
  options: { format: Fleet["format"] | undefined; asJson: boolean },
): Fleet | undefined {
  try {
    return loadFleet(resolve(io.cwd, file), {
      fileName: file,
      ...(options.format ? { format: options.format } : {}),
    });
  } catch (error) {
    if (!(error instanceof FleetValidationError)) throw error;
    if (options.asJson) {
      io.stdout.write(`${JSON.stringify({ file, problems: error.problems }, null, 2)}\n`);
    } else {
      for (const problem of error.problems) io.stderr.write(`${formatFleetProblem(problem)}\n`);
      io.stderr.write(`${error.hint}\n`);
    }
    return undefined;
  }
}

/** `fleet.yaml:12 c1/l1: serviceId HSI-1 → HSI-2, profile auto → smallbusiness`. */
function describe(file: string, location: PlannedLocation): string {
  const head = `${file}:${location.line} ${location.customerId}/${location.locationId}: `;
  switch (location.status) {
    case "unchanged":
      return `${head}unchanged`;
    case "change":
      return (
        head +
        location.changes
          .map((change) => `${change.field} ${change.from ?? "(none)"} → ${change.to}`)
          .join(", ")
      );
    case "missing":
      return `${head}missing in Plume (${location.detail})`;
    case "unreadable":
      return `${head}not compared: ${location.detail}`;
  }
}

function summaryLine(summary: PlanSummary, customers: number): string {
  const parts = [`${summary.change.toLocaleString("en-US")} to change`];
  parts.push(`${summary.missing.toLocaleString("en-US")} missing in Plume`);
  parts.push(`${summary.unchanged.toLocaleString("en-US")} unchanged`);
  if (summary.unreadable > 0) parts.push(`${summary.unreadable.toLocaleString("en-US")} not compared`);
  return `Plan: ${parts.join(", ")} (${plural(customers, "customer")} read from Plume).`;
}
