// `npm run bench:host`: the benchmark of the dynamic-provider host alone, spoken to over gRPC.
import { runBenchCommand } from "./command";
import { benchHelp, parseBenchFlags } from "./options";
import { renderJsonLine, renderReport } from "./report";
import { runBenchmark } from "./run";

runBenchCommand({
  parse: parseBenchFlags,
  help: benchHelp,
  run: runBenchmark,
  renderReport,
  renderJsonLine,
});
