import { CsvError, parse } from "csv-parse/sync";
import type { FleetProblem } from "./fleetValidationError";
import { FLEET_FIELDS, type FleetField, type RawEntry, type RawFleet } from "./rawEntry";

/**
 * The column headers accepted for each field, compared after lower-casing and dropping everything but
 * letters and digits: `customerId`, `customer_id`, `Customer ID` and `CUSTOMER-ID` all read as
 * `customerid`. Columns with other headers (names, addresses, ... of a CRM export) are ignored.
 */
export const CSV_HEADER_ALIASES: Readonly<Record<FleetField, readonly string[]>> = {
  customerId: ["customerid", "customer", "plumecustomerid"],
  locationId: ["locationid", "location", "plumelocationid"],
  serviceId: ["serviceid", "service", "plumeserviceid"],
  profile: ["profile", "locationprofile", "plumeprofile", "product", "plumeproduct"],
};

const DELIMITERS = [",", ";", "\t"];

/**
 * Reads a CSV fleet file as exported from a CRM: a header row, then one location per row. The delimiter is
 * `,`, or `;` or a tab when the header row uses that instead (or as named by an Excel `sep=;` first line).
 * Empty rows at the end are ignored; an empty row between locations, or a header row with no locations, is
 * a problem. The profile column is optional, and an empty profile cell means `auto`.
 */
export function readCsvFleet(file: string, text: string): RawFleet {
  const problems: FleetProblem[] = [];
  const report = (line: number | undefined, path: string, code: string, message: string) => {
    problems.push({ code, path, message, file, line });
  };

  let body = text;
  let lineOffset = 0;
  let delimiter = detectDelimiter(text);
  const separatorLine = /^sep=(.)\r?\n/i.exec(text);
  if (separatorLine !== null) {
    delimiter = separatorLine[1];
    body = text.slice(separatorLine[0].length);
    lineOffset = 1;
  }

  let records;
  try {
    records = parseCsvRecords(body, delimiter).map((record) => ({
      line: record.line + lineOffset,
      fields: record.fields,
      isBlank: record.fields.every((value) => value === ""),
    }));
  } catch (error) {
    if (!(error instanceof CsvSyntaxError)) throw error;
    report(error.line + lineOffset, "", "invalid-csv", `invalid CSV: ${error.message}`);
    return { entries: [], problems };
  }

  // Blank rows at the end are what spreadsheets leave behind; a blank row between entries is reported.
  while (records.length > 0 && records[records.length - 1].isBlank) records.pop();
  const header = records.shift();
  if (header === undefined) {
    report(
      undefined,
      "",
      "empty-file",
      `the file is empty; it needs a header row (${FLEET_FIELDS.join(",")})`,
    );
    return { entries: [], problems };
  }
  const columnOf: Partial<Record<FleetField, number>> = {};
  header.fields.forEach((name, column) => {
    const normalized = name.toLowerCase().replace(/[^a-z0-9]/g, "");
    const field = FLEET_FIELDS.find((candidate) => CSV_HEADER_ALIASES[candidate].includes(normalized));
    if (field === undefined) return;
    const earlier = columnOf[field];
    if (earlier !== undefined) {
      report(
        header.line,
        name,
        "duplicate-column",
        `both column ${JSON.stringify(header.fields[earlier])} and this one hold ${field}; keep one`,
      );
    }
    columnOf[field] = column;
  });
  for (const field of ["customerId", "locationId", "serviceId"] as const) {
    if (columnOf[field] === undefined) {
      report(
        header.line,
        field,
        "missing-column",
        `no ${field} column; name one of the header cells ${field} (also accepted: ${CSV_HEADER_ALIASES[field].slice(1).join(", ")}, in any case, with spaces or _)`,
      );
    }
  }
  if (problems.length > 0) return { entries: [], problems };
  if (records.length === 0) {
    report(
      header.line,
      "",
      "no-locations",
      'a header row but no locations: an empty CRM export is more likely a failed export than an empty fleet; declare no locations deliberately with a YAML file holding "locations: []"',
    );
    return { entries: [], problems };
  }

  const entries: RawEntry[] = [];
  for (const record of records) {
    if (record.isBlank) {
      report(record.line, "", "blank-row", "empty row between locations; delete it");
      continue;
    }
    if (record.fields.length !== header.fields.length) {
      report(
        record.line,
        "",
        "field-count",
        `has ${record.fields.length} fields but the header row has ${header.fields.length}; quote values that contain "${delimiter === "\t" ? "\\t" : delimiter}"`,
      );
      continue;
    }
    const entry: RawEntry = { line: record.line, path: "", fields: {} };
    for (const field of FLEET_FIELDS) {
      const column = columnOf[field];
      if (column === undefined) continue;
      const text = record.fields[column];
      // An empty profile cell means the default, as a CRM leaves the cell blank for most customers.
      if (field === "profile" && text === "") continue;
      entry.fields[field] = { text, line: record.line, field: header.fields[column] };
    }
    entries.push(entry);
  }
  return { entries, problems };
}

/** One record of a CSV file: its fields and the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A CSV syntax error on a line. */
export class CsvSyntaxError extends Error {
  override readonly name = "CsvSyntaxError";
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/**
 * Splits CSV text into records with csv-parse (RFC 4180): fields separated by `delimiter`, records by CRLF,
 * LF or a lone CR; a field in double quotes may hold the delimiter, line breaks and `""` for a quote. A
 * quote inside an unquoted field is kept as text (as spreadsheet programs do). Throws
 * {@link CsvSyntaxError} for a quoted field that is never closed or is followed by anything but a delimiter
 * or a line break.
 */
export function parseCsvRecords(text: string, delimiter: string): CsvRecord[] {
  try {
    return parseWith(text, delimiter, false);
  } catch (error) {
    // csv-parse either rejects a quote inside an unquoted field or also accepts text after a closing
    // quote; only a file that has the first is read the lenient way.
    if (error instanceof CsvError && error.code === "INVALID_OPENING_QUOTE") {
      return parseWith(text, delimiter, true);
    }
    throw error;
  }
}

/**
 * The records, each with the line it starts on, counted from the raw text of the records before it:
 * csv-parse's own line count takes a CRLF inside a quoted field for two lines.
 */
function parseWith(text: string, delimiter: string, relaxQuotes: boolean): CsvRecord[] {
  // Only a quoted field can hold a line break: without a quote in the file every record is one line, and
  // csv-parse need not hand back each record's raw text (a fifth of the time on a large file).
  const hasQuotes = text.includes('"');
  const records: CsvRecord[] = [];
  let line = 1;
  try {
    parse(text, {
      delimiter,
      // The line ends may change from line to line; CRLF first, so it counts as one.
      record_delimiter: ["\r\n", "\n", "\r"],
      relax_column_count: true,
      relax_quotes: relaxQuotes,
      raw: hasQuotes,
      on_record: (row: unknown) => {
        if (!hasQuotes) {
          records.push({ line: line++, fields: row as string[] });
          return null;
        }
        // With `raw`, each row is `{record, raw}`, not the fields that csv-parse's types say.
        const { record, raw } = row as { record: string[]; raw: string };
        records.push({ line, fields: record });
        line += raw.includes('"') ? lineBreaksIn(raw) : 1;
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError) || error.code === "INVALID_OPENING_QUOTE") throw error;
    throw syntaxErrorOf(error, line);
  }
  return records;
}

/** Our message for csv-parse's error about the record that starts on `line`. */
function syntaxErrorOf(error: CsvError, line: number): CsvSyntaxError {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new CsvSyntaxError("a quoted field is never closed", line);
    case "CSV_INVALID_CLOSING_QUOTE": {
      const after = /got "(.*?)" at line/.exec(error.message)?.[1] ?? "?";
      return new CsvSyntaxError(
        `unexpected ${JSON.stringify(after)} after a closing quote; double a quote inside a quoted field ("")`,
        line,
      );
    }
    default:
      return new CsvSyntaxError(error.message, line);
  }
}

/** The line breaks in a record's raw text, the one that ends it included (CRLF counts once). */
function lineBreaksIn(raw: string): number {
  return raw.match(/\r\n|\n|\r/g)?.length ?? 0;
}

// The delimiter used most often, outside quotes, on the first line; "," on a tie.
function detectDelimiter(text: string): string {
  const counts = new Map(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === "\n" || character === "\r")) break;
    else if (!quoted && counts.has(character)) counts.set(character, (counts.get(character) ?? 0) + 1);
  }
  let best = ",";
  for (const [delimiter, count] of counts) if (count > (counts.get(best) ?? 0)) best = delimiter;
  return best;
}
