// `npm run bench`: parse the flags, run the benchmark, print the report (and with `--json` one JSON line
// last), and write the chart when asked.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { BenchUsageError, benchHelp, parseBenchFlags } from "./options";
import { renderJsonLine, renderReport } from "./report";
import { runBenchmark } from "./run";

async function main(argv: string[]): Promise<number> {
  let options;
  try {
    options = parseBenchFlags(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n${error.hint}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(benchHelp);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const { report, chartSvg } = await runBenchmark(options, log);
  process.stdout.write(`${renderReport(report)}\n`);
  if (options.chartPath !== "") {
    mkdirSync(path.dirname(path.resolve(options.chartPath)), { recursive: true });
    writeFileSync(options.chartPath, chartSvg);
    log(`chart written to ${options.chartPath}`);
  }
  if (options.json) process.stdout.write(`${renderJsonLine(report)}\n`);
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
