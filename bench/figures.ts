// The figures one benchmark run produces: per phase, per baseline, per check + diff storm, and once per run.

/** What one phase (or one baseline) measured. */
export interface PhaseFigures {
  /** The phase: create, no-change (check + diff), refresh, update, delete. */
  phase: string;
  /** Who made the calls: the provider through the dynamic-provider host, or a baseline client. */
  client: "provider" | "naive" | "sequential";
  /** Resource operations (or, for the baselines, logical API calls) the phase attempted. */
  operations: number;
  /** Operations that ended in an error. */
  failedOperations: number;
  /** Wall time of the phase, in seconds (for an extrapolated baseline: the projected time). */
  wallSeconds: number;
  /** API calls the simulator answered (token requests not included). */
  apiCalls: number;
  /** Calls the simulated firewall rejected with 403. */
  firewallRejections: number;
  /** Calls answered 429. */
  tooManyRequests: number;
  /** Repeated attempts of a call after a failed one, as the server saw them. */
  retries: number;
  /** OAuth token requests. */
  tokenRequests: number;
  /** The least time the phase's API calls can take through the firewall window, in seconds. */
  physicalLimitSeconds: number;
  /** `wallSeconds` divided by `physicalLimitSeconds`; absent when the phase made no API calls. */
  ratio?: number;
  /** Set when `wallSeconds` is extrapolated from a measured subset rather than measured whole. */
  extrapolatedFrom?: { operations: number; seconds: number };
}

/** What one storm measured. */
export interface StormFigures {
  resources: number;
  /** Wall time of every check at once, in seconds. */
  checkSeconds: number;
  /** Wall time of every diff at once, in seconds. */
  diffSeconds: number;
  /** `checkSeconds + diffSeconds`. */
  totalSeconds: number;
  /** CPU time the host process used for the checks and diffs, in seconds. */
  hostCpuSeconds?: number;
  /** Time from the first call to the loaded, configured provider (not part of the figures above), in seconds. */
  loadSeconds: number;
  /** Peak RSS of the host process, in bytes. */
  peakRssBytes?: number;
  /** Resident memory of the host once the provider was loaded, before the storm, in bytes. */
  loadedRssBytes?: number;
}

/** Figures measured once per run. */
export interface RunFigures {
  /** Peak resident memory of the provider process across the run, in bytes. */
  providerPeakRssBytes?: number;
  /** The phase in which that peak was reached. */
  providerPeakRssPhase?: string;
  /** Size of the serialized provider (`__provider`), in bytes. */
  serializedProviderBytes: number;
  /** Bytes of state the engine stores per resource: inputs and outputs, `__provider` in both. */
  stateBytesPerResource: number;
  /** The check + diff storm against the provider. */
  checkDiffStorm?: StormFigures;
  /** The same storm against a do-nothing provider: what the dynamic-provider host costs by itself. */
  checkDiffFloor?: StormFigures;
  /** The same storm against the do-nothing provider padded to the provider's `__provider` size. */
  checkDiffFloorSameSize?: StormFigures;
}

/** The setup a run used, reported with its figures. */
export interface RunSetup {
  locations: number;
  firewall: { limit: number; windowMs: number };
  latencyMs: number;
  jitterMs: number;
  /** The provider limiter's configuration, as set through `plume:*` stack config. */
  providerConfig: Record<string, string>;
  /** How the host loads the provider: compiled JavaScript installed in a project, as users run it. */
  providerInstall: string;
  tokenLifetimeSeconds: number;
  /** The machine's 1-minute load average when the run began (other work skews every timing). */
  loadAverage: number;
  node: string;
  cpus: number;
}

/** One target of issue 6, and whether this run met it. */
export interface TargetResult {
  target: string;
  measured: string;
  met: boolean;
}

/** Everything one run produced: the object `--json` prints. */
export interface BenchReport {
  setup: RunSetup;
  phases: PhaseFigures[];
  baselines: PhaseFigures[];
  run: RunFigures;
  targets: TargetResult[];
  notes: string[];
}
