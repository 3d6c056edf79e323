// The command-line shell both benchmarks share (`npm run bench`, `npm run bench:host`): parse the flags, run,
// print the report (and with `--json` one JSON line last), write the chart when asked, and exit 1 when a
// target is missed, 2 on unusable flags.
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { BenchUsageError } from "./options";

/** What a benchmark command is made of. */
export interface BenchCommand<
  Options extends { help: boolean; chartPath: string; json: boolean },
  Report extends { targets: readonly { met: boolean }[] },
> {
  /** Reads the flags; throws `BenchUsageError` for unusable ones. */
  parse(argv: string[]): Options;
  /** The `--help` text. */
  help: string;
  /** Runs the benchmark, logging progress lines through `log`. */
  run(options: Options, log: (line: string) => void): Promise<{ report: Report; chartSvg: string }>;
  /** The report as a table for people. */
  renderReport(report: Report): string;
  /** The report as one JSON line for machines. */
  renderJsonLine(report: Report): string;
}

/** Runs `command` with the process's arguments and sets the process's exit code. */
export function runBenchCommand<
  Options extends { help: boolean; chartPath: string; json: boolean },
  Report extends { targets: readonly { met: boolean }[] },
>(command: BenchCommand<Options, Report>): void {
  benchMain(command, process.argv.slice(2)).then(
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
}

async function benchMain<
  Options extends { help: boolean; chartPath: string; json: boolean },
  Report extends { targets: readonly { met: boolean }[] },
>(command: BenchCommand<Options, Report>, argv: string[]): Promise<number> {
  let options: Options;
  try {
    options = command.parse(argv);
  } catch (error) {
    if (error instanceof BenchUsageError) {
      process.stderr.write(`${error.message}\n${error.hint}\n`);
      return 2;
    }
    throw error;
  }
  if (options.help) {
    process.stdout.write(command.help);
    return 0;
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const { report, chartSvg } = await command.run(options, log);
  process.stdout.write(`${command.renderReport(report)}\n`);
  if (options.chartPath !== "") {
    mkdirSync(path.dirname(path.resolve(options.chartPath)), { recursive: true });
    writeFileSync(options.chartPath, chartSvg);
    log(`chart written to ${options.chartPath}`);
  }
  if (options.json) process.stdout.write(`${command.renderJsonLine(report)}\n`);
  return report.targets.every((target) => target.met) ? 0 : 1;
}
