// `npm run bench`: the real-CLI benchmark (see cliRun.ts).
import * as path from "node:path";
import { runBenchCommand } from "./command";
import { cliBenchHelp, parseCliBenchFlags } from "./cliOptions";
import { renderCliJsonLine, renderCliReport } from "./cliReport";
import { runCliBenchmark } from "./cliRun";

const repoRoot = path.resolve(__dirname, "..");

runBenchCommand({
  parse: parseCliBenchFlags,
  help: cliBenchHelp,
  run: (options, log) => runCliBenchmark(options, repoRoot, log),
  renderReport: renderCliReport,
  renderJsonLine: renderCliJsonLine,
});
