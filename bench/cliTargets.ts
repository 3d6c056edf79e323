// Issue 11's targets, judged against one real-CLI run.
import type { CliPhaseFigures } from "./cliFigures";
import type { TargetResult } from "./figures";

/** A phase that calls Plume may take at most this multiple of the firewall's physical limit. */
export const callingPhaseRatioTarget = 1.15;
/** A no-op preview of 10,000 locations must take less than this, in seconds. */
export const noOpPreviewSecondsTarget = 60;
/** The checkpoint may hold at most this many bytes per location. */
export const stateBytesPerResourceTarget = 2048;
/** In no-op runs, the program's and provider's share of all CPU time must stay under this. */
export const ourShareTarget = 0.1;

/** Judges every target the run measured; one that it could not measure is reported as not met, saying why. */
export function evaluateCliTargets(phases: CliPhaseFigures[]): TargetResult[] {
  const results: TargetResult[] = [];
  const ours = phases.filter((phase) => phase.program === "plume");
  for (const phase of ours.filter((figures) => figures.apiCalls > 0)) {
    results.push({
      target: `${phase.phase} (${phase.provider}, checkpoints ${phase.checkpoints}): 0 failed, within ${callingPhaseRatioTarget}× the firewall limit`,
      measured: `${phase.failedOperations} failed, ${phase.wallSeconds.toFixed(1)} s = ${phase.ratio?.toFixed(2)}× the ${phase.physicalLimitSeconds.toFixed(1)} s limit, ${phase.firewallRejections} 403s`,
      met:
        phase.failedOperations === 0 && phase.ratio !== undefined && phase.ratio <= callingPhaseRatioTarget,
    });
  }
  for (const phase of ours.filter((figures) => figures.phase === "no-op preview")) {
    const scaled = (phase.wallSeconds * 10_000) / phase.locations;
    results.push({
      target: `no-op preview of 10,000 locations under ${noOpPreviewSecondsTarget} s (${phase.provider}, checkpoints ${phase.checkpoints})`,
      measured:
        phase.locations === 10_000
          ? `${phase.wallSeconds.toFixed(1)} s`
          : `${phase.wallSeconds.toFixed(1)} s for ${phase.locations} (not measured at 10,000; ${scaled.toFixed(0)} s if linear)`,
      met: phase.locations >= 10_000 && phase.wallSeconds < noOpPreviewSecondsTarget,
    });
  }
  for (const door of new Set(ours.map((phase) => phase.provider))) {
    const stateSizes = ours.filter((phase) => phase.provider === door && phase.resourceState !== undefined);
    if (stateSizes.length === 0) continue;
    const largest = stateSizes.reduce((best, phase) =>
      (phase.resourceState?.total ?? 0) > (best.resourceState?.total ?? 0) ? phase : best,
    );
    const state = largest.resourceState!;
    results.push({
      target: `state under ${stateBytesPerResourceTarget} bytes per resource (${door})`,
      measured:
        `${state.total} bytes per location resource (after ${largest.phase}): ${state.serializedProvider} of them ` +
        `the two copies of __provider, ${state.registrationTrace} the registration's stack trace; ` +
        `whole checkpoint ${largest.stateBytesPerResource} bytes per location`,
      met: state.total < stateBytesPerResourceTarget,
    });
  }
  for (const phase of ours.filter(
    (figures) => figures.phase === "no-op preview" || figures.phase === "no-op up",
  )) {
    const floor = phases.find(
      (other) =>
        other.program === "do-nothing" &&
        other.phase === phase.phase &&
        other.checkpoints === phase.checkpoints,
    );
    if (!floor) {
      results.push({
        target: `our share of a ${phase.phase} under 10 % (${phase.provider})`,
        measured: "no do-nothing run",
        met: false,
      });
      continue;
    }
    const share = (phase.cpu.totalSeconds - floor.cpu.totalSeconds) / phase.cpu.totalSeconds;
    results.push({
      target: `our share (program + provider) of the CPU of a ${phase.phase} under ${ourShareTarget * 100} % (${phase.provider}, checkpoints ${phase.checkpoints})`,
      measured: `${(share * 100).toFixed(1)} %: ${phase.cpu.totalSeconds.toFixed(1)} s with pulumi-plume, ${floor.cpu.totalSeconds.toFixed(1)} s with a do-nothing provider`,
      met: share < ourShareTarget,
    });
  }
  return results;
}
