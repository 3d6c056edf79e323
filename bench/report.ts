// Printing a run: Markdown tables (pasted as they are into docs/performance.md) and the `--json` line.
import type { BenchReport, PhaseFigures, StormFigures } from "./figures";
import { formatMegabytes } from "./targets";

const phaseColumns = [
  "phase",
  "client",
  "operations",
  "failed",
  "wall s",
  "API calls",
  "403 firewall",
  "429",
  "retries",
  "token requests",
  "limit s",
  "ratio",
];

/** Renders the whole report as Markdown: setup, phases and baselines, once-per-run figures, targets. */
export function renderReport(report: BenchReport): string {
  const { setup, run } = report;
  const lines: string[] = [
    `- Setup: ${setup.locations} locations; firewall ${setup.firewall.limit} calls per ${setup.firewall.windowMs} ms ` +
      `(${(setup.firewall.limit / (setup.firewall.windowMs / 1000)).toFixed(1)} calls/s); latency ` +
      `${setup.latencyMs} ms + 0..${setup.jitterMs} ms; token lifetime ${setup.tokenLifetimeSeconds} s; ` +
      `Node ${setup.node}, ${setup.cpus} CPUs, load average ${setup.loadAverage.toFixed(2)} at start.`,
    `- Provider: ${setup.providerInstall}.`,
    `- Provider limiter (stack config): ${Object.entries(setup.providerConfig)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}.`,
    "",
    renderPhaseTable([...report.phases, ...report.baselines]),
    "",
    "| figure | value |",
    "| --- | --- |",
    `| provider peak RSS | ${run.providerPeakRssBytes === undefined ? "n/a" : formatMegabytes(run.providerPeakRssBytes)}${run.providerPeakRssPhase ? ` (${run.providerPeakRssPhase})` : ""} |`,
    `| serialized provider | ${run.serializedProviderBytes} bytes |`,
    `| state per resource | ${run.stateBytesPerResource} bytes |`,
  ];
  for (const [who, storm] of [
    ["provider", run.checkDiffStorm],
    ["do-nothing provider (host floor)", run.checkDiffFloor],
    [`do-nothing provider padded to ${run.serializedProviderBytes} bytes`, run.checkDiffFloorSameSize],
  ] as const) {
    if (storm)
      lines.push(`| check + diff of ${storm.resources} resources, ${who} | ${describeStorm(storm)} |`);
  }
  lines.push("", "| target | measured | met |", "| --- | --- | --- |");
  for (const target of report.targets) {
    lines.push(`| ${target.target} | ${target.measured} | ${target.met ? "yes" : "**no**"} |`);
  }
  if (report.notes.length > 0) {
    lines.push("", ...report.notes.map((note) => `- ${note}`));
  }
  return lines.join("\n");
}

/** Renders phase figures as one Markdown table. */
export function renderPhaseTable(phases: readonly PhaseFigures[]): string {
  const rows = phases.map((phase) => [
    phase.phase,
    phase.client,
    String(phase.operations),
    String(phase.failedOperations),
    phase.extrapolatedFrom ? `${phase.wallSeconds.toFixed(1)}*` : phase.wallSeconds.toFixed(1),
    String(phase.apiCalls),
    String(phase.firewallRejections),
    String(phase.tooManyRequests),
    String(phase.retries),
    String(phase.tokenRequests),
    phase.physicalLimitSeconds.toFixed(1),
    phase.ratio === undefined ? "n/a" : `${phase.ratio.toFixed(2)}×`,
  ]);
  const lines = [
    `| ${phaseColumns.join(" | ")} |`,
    `| ${phaseColumns.map((_, index) => (index < 2 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  const extrapolated = phases.filter((phase) => phase.extrapolatedFrom);
  for (const phase of extrapolated) {
    const from = phase.extrapolatedFrom!;
    lines.push(
      "",
      `\\* ${phase.client} ${phase.phase}: extrapolated from ${from.operations} of ${phase.operations} calls measured in ${from.seconds.toFixed(1)} s; its other counts are for the measured calls only.`,
    );
  }
  return lines.join("\n");
}

/** One storm in a few words: wall times, the host's CPU time, its memory before and at the peak. */
export function describeStorm(storm: StormFigures): string {
  const megabytes = (bytes: number | undefined) => (bytes === undefined ? "n/a" : formatMegabytes(bytes));
  return (
    `${storm.totalSeconds.toFixed(2)} s (check ${storm.checkSeconds.toFixed(2)} s, diff ${storm.diffSeconds.toFixed(2)} s); ` +
    `host CPU ${storm.hostCpuSeconds === undefined ? "n/a" : `${storm.hostCpuSeconds.toFixed(2)} s`}; ` +
    `RSS ${megabytes(storm.loadedRssBytes)} loaded, ${megabytes(storm.peakRssBytes)} peak; ` +
    `provider load ${storm.loadSeconds.toFixed(2)} s (not counted)`
  );
}

/** The report as one line of JSON, for `--json`. */
export function renderJsonLine(report: BenchReport): string {
  return JSON.stringify(report);
}
