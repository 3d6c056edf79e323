// `npm run bench`: the real-CLI benchmark. Parses the flags, runs it, prints the report (and with `--json` one
// JSON line last), writes the chart when asked. Exits 1 when a target is missed.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CliBenchUsageError, cliBenchHelp, parseCliBenchFlags } from "./cliOptions";
import { renderCliJsonLine, renderCliReport } from "./cliReport";
import { runCliBenchmark } from "./cliRun";

const repoRoot = path.resolve(__dirname, "..");

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseCliBenchFlags(argv);
  } catch (error) {
    if (error instanceof CliBenchUsageError) {
      process.stderr.write(`${error.message}\n${error.hint}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(cliBenchHelp);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const { report, chartSvg } = await runCliBenchmark(options, repoRoot, log);
  process.stdout.write(`${renderCliReport(report)}\n`);
  if (options.chartPath !== "") {
    mkdirSync(path.dirname(path.resolve(options.chartPath)), { recursive: true });
    writeFileSync(options.chartPath, chartSvg);
    log(`chart written to ${options.chartPath}`);
  }
  if (options.json) process.stdout.write(`${renderCliJsonLine(report)}\n`);
  return report.targets.every((target) => target.met) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
