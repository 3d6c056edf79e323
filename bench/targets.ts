// Issue 6's targets, judged against one run's figures.
import type { PhaseFigures, RunFigures, RunSetup, TargetResult } from "./figures";

/** Wall time of the create phase may be at most this multiple of the firewall's physical limit. */
export const createRatioTarget = 1.15;
/** Check and diff of the storm's resources must take less than this, in seconds, in total. */
export const checkDiffSecondsTarget = 5;
/** How long before expiry Plume advises renewing a token, in seconds: a token serves its lifetime less this. */
export const tokenRenewalLeadSeconds = 30;
/** Peak resident memory of the provider process must stay under this. */
export const peakRssBytesTarget = 250 * 1024 * 1024;
/** The serialized provider must stay under this. */
export const serializedProviderBytesTarget = 4 * 1024;

/**
 * Judges every target of issue 6 that this run measured. A target whose figure is missing (a phase that
 * did not run) is reported as not met, saying why.
 */
export function evaluateTargets(setup: RunSetup, phases: PhaseFigures[], run: RunFigures): TargetResult[] {
  const results: TargetResult[] = [];
  const create = phases.find((phase) => phase.phase === "create");
  results.push(
    create
      ? {
          target: `${setup.locations} creates, zero failed, within ${createRatioTarget}× the firewall limit`,
          measured: `${create.failedOperations} failed, ${create.wallSeconds.toFixed(1)} s = ${formatRatio(create.ratio)} the ${create.physicalLimitSeconds.toFixed(1)} s limit`,
          met:
            create.failedOperations === 0 && create.ratio !== undefined && create.ratio <= createRatioTarget,
        }
      : missing("creates within the firewall limit"),
  );
  const providerPhases = phases.filter((phase) => phase.apiCalls > 0 || phase.tokenRequests > 0);
  const worstTokens = providerPhases.map((phase) => ({
    phase,
    allowed: Math.max(
      1,
      Math.ceil(phase.wallSeconds / (setup.tokenLifetimeSeconds - tokenRenewalLeadSeconds)),
    ),
  }));
  results.push(
    worstTokens.length > 0
      ? {
          target:
            `one token request per token lifetime (${setup.tokenLifetimeSeconds} s, renewed ` +
            `${tokenRenewalLeadSeconds} s early) per provider process`,
          measured: worstTokens
            .map(({ phase, allowed }) => `${phase.phase} ${phase.tokenRequests}/${allowed}`)
            .join(", "),
          met: worstTokens.every(({ phase, allowed }) => phase.tokenRequests <= allowed),
        }
      : missing("one token request per token lifetime"),
  );
  const storm = run.checkDiffStorm;
  results.push(
    storm
      ? {
          target: `check + diff of ${storm.resources} resources under ${checkDiffSecondsTarget} s in total`,
          measured: `${storm.totalSeconds.toFixed(2)} s (check ${storm.checkSeconds.toFixed(2)} s, diff ${storm.diffSeconds.toFixed(2)} s)`,
          met: storm.totalSeconds < checkDiffSecondsTarget,
        }
      : missing("check + diff under 5 s"),
  );
  results.push(
    run.providerPeakRssBytes !== undefined
      ? {
          target: `provider peak RSS under ${formatMegabytes(peakRssBytesTarget)}`,
          measured: `${formatMegabytes(run.providerPeakRssBytes)} (${run.providerPeakRssPhase ?? "?"})`,
          met: run.providerPeakRssBytes < peakRssBytesTarget,
        }
      : missing("provider peak RSS (no /proc on this machine)"),
  );
  results.push({
    target: `serialized provider under ${serializedProviderBytesTarget / 1024} KB`,
    measured: `${run.serializedProviderBytes} bytes`,
    met: run.serializedProviderBytes < serializedProviderBytesTarget,
  });
  return results;
}

/** Bytes as megabytes with one decimal: "123.4 MB". */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? "n/a" : `${ratio.toFixed(2)}×`;
}

function missing(target: string): TargetResult {
  return { target, measured: "not measured in this run", met: false };
}
