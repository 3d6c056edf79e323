import { readFileSync, statSync } from "node:fs";
import { extname } from "node:path";
import { readCsvFleet } from "./csvFormat";
import { FleetFileError } from "./fleetFileError";
import { FleetValidationError } from "./fleetValidationError";
import { readJsonFleet } from "./jsonFormat";
import type { RawFleet } from "./rawEntry";
import { type FleetEntry, validateEntries } from "./validate";
import { readYamlFleet } from "./yamlFormat";

/** The formats a fleet file can be written in. */
export type FleetFormat = "yaml" | "csv" | "json";

/** A loaded, validated fleet. */
export interface Fleet {
  /** The file it was read from, as named to the loader. */
  file: string;
  /** The format it was read as. */
  format: FleetFormat;
  /** Its locations, in file order, each valid and listed once. */
  entries: FleetEntry[];
}

/** Options of {@link loadFleet}. */
export interface LoadFleetOptions {
  /** The file's format. @default from the extension: `.yaml`/`.yml`, `.csv`, `.json` */
  format?: FleetFormat;
  /** Largest file accepted, in bytes. @default 52428800 (50 MiB, about 400,000 locations in CSV) */
  maxFileBytes?: number;
  /** How to name the file in errors (e.g. relative to the project). @default the path as given */
  fileName?: string;
}

/** Options of {@link parseFleet}. */
export interface ParseFleetOptions {
  /** The text's format. */
  format: FleetFormat;
  /** How to name the file in problems. @default "fleet" */
  fileName?: string;
  /** Largest text accepted, in UTF-16 code units. @default 52428800 */
  maxFileBytes?: number;
}

const DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024;

const FORMAT_OF_EXTENSION: Readonly<Record<string, FleetFormat>> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".csv": "csv",
  ".json": "json",
};

const READERS: Readonly<Record<FleetFormat, (file: string, text: string) => RawFleet>> = {
  yaml: readYamlFleet,
  csv: readCsvFleet,
  json: readJsonFleet,
};

/**
 * Reads and validates a fleet file. The format comes from the extension unless given. The whole file is
 * checked before anything is returned: one {@link FleetValidationError} lists every problem with its file,
 * line and field. Throws {@link FleetFileError} when the file cannot be read, is too large or not UTF-8.
 */
export function loadFleet(path: string, options: LoadFleetOptions = {}): Fleet {
  const { format, maxFileBytes, fileName } = resolveLoadOptions(path, options);
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new FleetFileError(
      fileName,
      describeFsError(error),
      "Check the path (fleet:file in stack config).",
      {
        cause: error,
      },
    );
  }
  if (size > maxFileBytes) {
    throw new FleetFileError(
      fileName,
      `it is ${size} bytes, more than the ${maxFileBytes} accepted`,
      "Split the fleet into several files, one stack each (docs/fleet.md, Sharding), or raise maxFileBytes.",
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new FleetFileError(fileName, describeFsError(error), "Check the file's permissions.", {
      cause: error,
    });
  }
  return parseFleet(decodeText(fileName, bytes), { format, fileName, maxFileBytes });
}

/**
 * Validates fleet text already in memory (from an API, a test, a generated string). Same checks and errors
 * as {@link loadFleet}. A leading byte order mark is ignored; CRLF, LF and CR line ends are all accepted.
 */
export function parseFleet(text: string, options: ParseFleetOptions): Fleet {
  const fileName = options.fileName ?? "fleet";
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const read = READERS[options.format];
  if (read === undefined) {
    throw new FleetFileError(
      fileName,
      `unknown format ${JSON.stringify(options.format)}`,
      'Use "yaml", "csv" or "json".',
    );
  }
  if (text.length > maxFileBytes) {
    throw new FleetFileError(
      fileName,
      `it is ${text.length} characters, more than the ${maxFileBytes} accepted`,
      "Split the fleet into several files, one stack each (docs/fleet.md, Sharding).",
    );
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { entries, problems } = validateEntries(fileName, read(fileName, body));
  if (problems.length > 0) throw new FleetValidationError(problems);
  return { file: fileName, format: options.format, entries };
}

/** The format a fleet file's name implies, or `undefined` for an unknown extension. */
export function fleetFormatOf(path: string): FleetFormat | undefined {
  return FORMAT_OF_EXTENSION[extname(path).toLowerCase()];
}

function resolveLoadOptions(path: string, options: LoadFleetOptions): Required<LoadFleetOptions> {
  const problems: string[] = [];
  const format = options.format ?? fleetFormatOf(path);
  if (format === undefined) {
    problems.push(`its extension ${JSON.stringify(extname(path))} names no fleet format`);
  } else if (!(format in READERS)) {
    problems.push(`format ${JSON.stringify(format)} is not one of yaml, csv, json`);
  }
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes <= 0) {
    problems.push(`maxFileBytes must be a positive integer (got ${String(options.maxFileBytes)})`);
  }
  if (problems.length > 0 || format === undefined) {
    throw new FleetFileError(
      path,
      problems.join("; "),
      "Name the file .yaml, .yml, .csv or .json, or pass the format option.",
    );
  }
  return { format, maxFileBytes, fileName: options.fileName ?? path };
}

function decodeText(path: string, bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new FleetFileError(
      path,
      'it is UTF-16 text (Excel\'s "Unicode text")',
      'Save it as UTF-8; in Excel choose "CSV UTF-8 (Comma delimited)".',
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    throw new FleetFileError(
      path,
      "it is not valid UTF-8 text",
      'Save it as UTF-8; in Excel choose "CSV UTF-8 (Comma delimited)".',
      { cause: error },
    );
  }
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return (error as Error).message;
}
