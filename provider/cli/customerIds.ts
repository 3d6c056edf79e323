import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { idProblem } from "../fleet";
import { CliError, UsageError } from "./cliError";

/**
 * The customer ids of `export`: from `--customers a,b,c` or `--customers-file <file>` (one id a line; blank
 * lines and lines starting with `#` are skipped), in the order given, each once. Every bad id is reported at
 * once, with its line, before anything is read from Plume.
 */
export function customerIdsFrom(
  options: { customers?: string; customersFile?: string },
  cwd: string,
): string[] {
  if ((options.customers === undefined) === (options.customersFile === undefined)) {
    throw new UsageError(
      "give the customers to export with either --customers or --customers-file",
      "export",
    );
  }
  const listed =
    options.customers !== undefined
      ? options.customers
          .split(",")
          .map((text, index) => ({ text: text.trim(), where: `--customers item ${index + 1}` }))
      : readIdFile(options.customersFile as string, cwd);
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const { text, where } of listed) {
    const problem = idProblem(text);
    if (problem !== undefined) problems.push(`${where}: ${JSON.stringify(text)} ${problem}`);
    else ids.add(text);
  }
  if (problems.length > 0) {
    throw new CliError(
      `Invalid customer ids (${problems.length}):\n${problems.map((line) => `  ${line}`).join("\n")}`,
      "Give Plume customer ids (letters, digits, -, _ and .), one a line in --customers-file or comma-separated in --customers. Nothing was read from Plume.",
    );
  }
  if (ids.size === 0) throw new UsageError("no customer ids given", "export");
  return [...ids];
}

function readIdFile(file: string, cwd: string): { text: string; where: string }[] {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new CliError(
      `Cannot read the customers file ${file}: ${(error as Error).message}`,
      "Check the path given to --customers-file (a text file with one customer id a line).",
    );
  }
  return text
    .split(/\r\n|\r|\n/)
    .map((line, index) => ({ text: line.trim(), where: `${file}:${index + 1}` }))
    .filter((line) => line.text !== "" && !line.text.startsWith("#"));
}
