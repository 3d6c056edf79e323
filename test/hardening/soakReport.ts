/** Renders a soak report as the table docs/reliability.md quotes. */
import type { SoakReport } from "./soak";

/** One line per run: outcome, steps, API calls, faults seen, wall time; then the verdicts. */
export function formatSoakReport(report: SoakReport): string {
  const { options } = report;
  const lines = [
    `soak: ${options.locations} locations (+${options.bystanders} bystanders), random 5xx ${options.random5xxRate * 100}%, ` +
      `firewall ${options.firewall.limit}/${options.firewall.windowMs} ms, client timeout ${options.timeoutMs} ms, parallel ${options.parallel}`,
    "| run | ok | create | update | same | API calls | PATCHes | 5xx injected | resets | stalls | firewall 403 | tokens | wall s |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const run of report.runs) {
    const { result, counters } = run;
    lines.push(
      `| ${run.name} | ${result.ok ? "yes" : "no"} | ${result.counts.create ?? 0} | ${result.counts.update ?? 0} | ${result.counts.same ?? 0} | ` +
        `${counters.apiCalls} | ${counters.patches} | ${counters.injectedFailures} | ${counters.connectionsReset} | ` +
        `${counters.stalls} | ${counters.firewallRejections} | ${counters.tokensIssued} | ${(result.durationMs / 1000).toFixed(1)} |`,
    );
  }
  lines.push(
    `updates completed before the kill: ${report.updatesBeforeKill}`,
    `unconverged locations: ${report.unconverged.length}; bystanders touched: ${report.bystandersTouched.length}; ` +
      `wrong writes: ${report.runs.reduce((sum, run) => sum + run.wrongWrites.length, 0)}; unhandled: ${report.unhandled.length}`,
  );
  for (const run of report.runs.filter((candidate) => !candidate.name.includes("killed"))) {
    for (const trace of run.failedStepTraces) lines.push(`failed in "${run.name}": ${trace}`);
  }
  return lines.join("\n");
}
