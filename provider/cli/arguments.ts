import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./cliError";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** What `parseArgs` gives for `options`, strict and with positionals. */
type ParsedArguments<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** Options every command takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const satisfies Options;

/** Options of the commands that talk to Plume. */
export const CONNECTION_OPTIONS = {
  config: { type: "string", short: "c" },
} as const satisfies Options;

/**
 * Parses a command's arguments with Node's `parseArgs` (strict: unknown options are errors). Any complaint
 * becomes a {@link UsageError} that points to the command's `--help`.
 */
export function parseCommandArguments<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
): ParsedArguments<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}

/** The value of a `--format` option: one of the fleet formats. */
export function fleetFormatOption(
  command: string,
  value: string | undefined,
): "yaml" | "csv" | "json" | undefined {
  if (value === undefined) return undefined;
  const format = value.toLowerCase();
  if (format === "yaml" || format === "csv" || format === "json") return format;
  if (format === "yml") return "yaml";
  throw new UsageError(`--format ${JSON.stringify(value)} is not one of yaml, csv, json`, command);
}
