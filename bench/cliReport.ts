// Printing a real-CLI run: Markdown (pasted as it is into docs/performance.md) and the `--json` line.
import type { CliBenchReport, CliPhaseFigures } from "./cliFigures";

const columns = [
  "program",
  "provider",
  "checkpoints",
  "phase",
  "wall s",
  "API calls",
  "403",
  "failed",
  "limit s",
  "ratio",
  "CPU s total",
  "engine",
  "program (lang. host + node)",
  "provider process",
  "checkpoint saves",
  "MB written",
  "checkpoint B/location",
  "resource B (provider, trace)",
];

/** The whole report as Markdown: setup, one table of every phase, the targets. */
export function renderCliReport(report: CliBenchReport): string {
  const { setup } = report;
  const lines = [
    `- Setup: ${setup.locations} locations; firewall ${setup.firewall.limit} calls per ${setup.firewall.windowMs} ms; ` +
      `latency ${setup.latencyMs} ms + 0..${setup.jitterMs} ms; Pulumi CLI ${setup.pulumiVersion}; Node ${setup.node}; ` +
      `${setup.cpus} CPUs, load average ${setup.loadAverage.toFixed(2)} at start.`,
    `- Provider limiter (stack config): ${Object.entries(setup.limiter)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}. Pulumi environment: ${Object.entries(setup.pulumiEnv)
      .map(([key, value]) => `${key}=${value}`)
      .join(", ")}, plus PULUMI_SKIP_CHECKPOINTS=true where checkpoints are "skip".`,
    "",
    `| ${columns.join(" | ")} |`,
    `| ${columns.map(() => "---").join(" | ")} |`,
    ...report.phases.map(renderRow),
    "",
    "| target | measured | met |",
    "| --- | --- | --- |",
    ...report.targets.map(
      (target) => `| ${target.target} | ${target.measured} | ${target.met ? "yes" : "**no**"} |`,
    ),
  ];
  const failures = report.phases.filter((phase) => phase.error);
  if (failures.length > 0) {
    lines.push(
      "",
      ...failures.map((phase) => `- ${phase.program} (${phase.provider}) ${phase.phase}: ${phase.error}`),
    );
  }
  return lines.join("\n");
}

function renderRow(phase: CliPhaseFigures): string {
  const { byRole } = phase.cpu;
  return `| ${[
    phase.program,
    phase.provider,
    phase.checkpoints,
    phase.phase,
    phase.wallSeconds.toFixed(1),
    phase.apiCalls,
    phase.firewallRejections,
    phase.failedOperations,
    phase.apiCalls > 0 ? phase.physicalLimitSeconds.toFixed(1) : "",
    phase.ratio === undefined ? "n/a" : `${phase.ratio.toFixed(2)}×`,
    phase.cpu.totalSeconds.toFixed(1),
    byRole.engine.toFixed(1),
    (byRole["language host"] + byRole.program).toFixed(1),
    byRole["provider host"].toFixed(1),
    phase.checkpointSaves,
    (phase.checkpointBytesWritten / 1e6).toFixed(1),
    phase.stateBytesPerResource,
    phase.resourceState
      ? `${phase.resourceState.total} (${phase.resourceState.serializedProvider}, ${phase.resourceState.registrationTrace})`
      : "",
  ].join(" | ")} |`;
}

/** The `--json` line: every figure, `phases[]` first-class (`phase`, `ratio`, `failedOperations`, …). */
export function renderCliJsonLine(report: CliBenchReport): string {
  return JSON.stringify(report);
}
