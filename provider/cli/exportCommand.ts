import { resolve } from "node:path";
import { fleetFormatOf, type FleetFormat } from "../fleet";
import { COMMON_OPTIONS, CONNECTION_OPTIONS, fleetFormatOption, parseCommandArguments } from "./arguments";
import { UsageError } from "./cliError";
import { connectToPlume } from "./connect";
import { customerIdsFrom } from "./customerIds";
import { EXIT_CODES, type ExitCode } from "./exitCodes";
import { exportedFleet, type ExportedFleet } from "./exportedFleet";
import { formatFleet, formatImportFile } from "./fleetWriter";
import type { CliIo } from "./io";
import { writeFileAtomically } from "./outputFile";
import { readCustomersShowingProgress } from "./readCustomers";
import { plural } from "./plural";

/** `plume-fleet export --help`. */
export const EXPORT_HELP = `Usage: plume-fleet export (--customers <id,id,...> | --customers-file <file>)
                         [--format yaml|csv|json] [--output <file>] [--import-file <file>]
                         [--config <Pulumi.stack.yaml>] [--json]

Writes the fleet file that describes Plume as it is: the serviceId and profile of every location of the
customers given, read with one call per customer (GET /api/Customers/<id>/locations). Feeding the file to
\`pulumi up\` changes nothing in Plume. Only customerId, locationId, serviceId and profile are written.
Locations without a serviceId are listed on stderr and left out: a serviceId is never invented.

Options:
  --customers <ids>        Comma-separated customer ids
  --customers-file <file>  A file with one customer id a line (# comments and blank lines skipped)
  --format <format>        yaml, csv or json (default: from --output's extension, else yaml)
  -o, --output <file>      Write here (whole or not at all) instead of stdout
  --import-file <file>     Also write the file \`pulumi import --file\` takes to adopt every exported location
                           as a native plume:index:LocationService, named as the fleet program names it
                           (loc-<customerId>-<locationId>), with no write to Plume (docs/native.md)
  -c, --config <file>      Read plume:* settings from a stack settings file (Pulumi.<stack>.yaml);
                           PLUME_* environment variables fill in what it does not set (and its secrets)
  --json                   Print a JSON report on stdout (needs --output)
  -h, --help               Show this help

Exit codes: 0 written; 1 nothing written (a customer Plume would not list, no location with a serviceId,
bad settings, a failed read);
130 interrupted (Ctrl-C), nothing written.
`;

/** `plume-fleet export`: Plume's current serviceId and profile of every location of the customers given. */
export async function exportCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArguments("export", args, {
    ...COMMON_OPTIONS,
    ...CONNECTION_OPTIONS,
    customers: { type: "string" },
    "customers-file": { type: "string" },
    format: { type: "string" },
    output: { type: "string", short: "o" },
    "import-file": { type: "string" },
  });
  if (values.help) {
    io.stdout.write(EXPORT_HELP);
    return EXIT_CODES.ok;
  }
  const format = outputFormat(fleetFormatOption("export", values.format), values.output);
  if (values.json && values.output === undefined) {
    throw new UsageError("--json prints its report on stdout: give --output for the fleet file", "export");
  }
  const customerIds = customerIdsFrom(
    { customers: values.customers, customersFile: values["customers-file"] },
    io.cwd,
  );
  const client = connectToPlume(values.config, io);

  const listings = await readCustomersShowingProgress(client, customerIds, io, {
    label: "export",
    quiet: values.json === true,
  });
  const fleet = exportedFleet(listings);

  const output = values.output === undefined ? undefined : resolve(io.cwd, values.output);
  // An export that finds nothing to write is more likely a wrong customer list than an empty fleet, and an
  // empty fleet file would make a `pulumi up` release every location its stack manages.
  const written = fleet.unreadable.length === 0 && fleet.entries.length > 0;
  if (written) {
    const text = formatFleet(fleet.entries, format);
    if (output === undefined) io.stdout.write(text);
    else writeFileAtomically(output, text);
    if (values["import-file"] !== undefined) {
      writeFileAtomically(resolve(io.cwd, values["import-file"]), formatImportFile(fleet.entries));
    }
  }
  report(fleet, { customers: customerIds.length, format, output: values.output, written }, io, values.json);
  return written ? EXIT_CODES.ok : EXIT_CODES.failed;
}

function outputFormat(given: FleetFormat | undefined, output: string | undefined): FleetFormat {
  if (given !== undefined) return given;
  if (output === undefined) return "yaml";
  const fromName = fleetFormatOf(output);
  if (fromName === undefined) {
    throw new UsageError(
      `cannot tell the format of ${output} from its name: end it in .yaml, .csv or .json, or give --format`,
      "export",
    );
  }
  return fromName;
}

function report(
  fleet: ExportedFleet,
  run: { customers: number; format: FleetFormat; output: string | undefined; written: boolean },
  io: CliIo,
  asJson: boolean | undefined,
): void {
  if (asJson) {
    io.stdout.write(
      `${JSON.stringify(
        {
          ok: run.written,
          output: run.written ? run.output : null,
          format: run.format,
          customers: run.customers,
          locations: fleet.entries.length,
          withoutServiceId: fleet.withoutServiceId,
          leftOut: fleet.leftOut,
          unreadableCustomers: fleet.unreadable,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const lines: string[] = [];
  for (const { customerId, message } of fleet.unreadable) {
    lines.push(`customer ${customerId}: Plume would not list its locations: ${message.split("\n")[0]}`);
  }
  if (fleet.withoutServiceId.length > 0) {
    lines.push(
      `${plural(fleet.withoutServiceId.length, "location")} without a serviceId in Plume, left out:`,
    );
    for (const { customerId, locationId } of fleet.withoutServiceId)
      lines.push(`  ${customerId}/${locationId}`);
  }
  if (fleet.leftOut.length > 0) {
    lines.push(`${plural(fleet.leftOut.length, "location")} a fleet file cannot describe, left out:`);
    for (const { customerId, locationId, reason } of fleet.leftOut) {
      lines.push(`  ${customerId}/${locationId}: ${reason}`);
    }
  }
  lines.push(
    run.written
      ? `Wrote ${plural(fleet.entries.length, "location")} of ${plural(run.customers, "customer")} ` +
          `to ${run.output ?? "stdout"} (${run.format}).`
      : fleet.unreadable.length > 0
        ? "Nothing was written: check the customer ids and that these credentials may see them, then run again."
        : "Nothing was written: no location of these customers has a serviceId. Check the customer ids; a " +
          "fleet file that declares no location would release every location its stack manages.",
  );
  io.stderr.write(`${lines.join("\n")}\n`);
}
