// The figures of the real-CLI benchmark: per phase of each run, and the setup they were measured with.
import type { ResourceStateBytes } from "./checkpoints";
import type { ProviderDoor } from "./cliProject";
import type { CpuByRole } from "./processTree";
import type { TargetResult } from "./figures";

/** One Pulumi command of one run. */
export interface CliPhaseFigures {
  /** first up, no-op preview, no-op up, refresh, up 10 % edited, destroy. */
  phase: string;
  /** `plume`: the root program with pulumi-plume; `do-nothing`: the same resources, a provider that does nothing. */
  program: "plume" | "do-nothing";
  /** The door the program went through: `dynamic` (PlumeLocationService; the do-nothing program's too) or `native`. */
  provider: ProviderDoor;
  /** `default`: the engine saves a checkpoint around every step; `skip`: `PULUMI_SKIP_CHECKPOINTS=true`. */
  checkpoints: "default" | "skip";
  locations: number;
  /** Wall time of the command, from the Automation API call to its return, in seconds. */
  wallSeconds: number;
  /** Requests under /api the simulator received (token requests not included). */
  apiCalls: number;
  /** Calls the simulated firewall rejected with 403. */
  firewallRejections: number;
  /** Resource operations that failed (the engine's failed-step events; a failed command counts once at least). */
  failedOperations: number;
  /** The command's error, when it failed. */
  error?: string;
  /** CPU time of the processes the command started. */
  cpu: CpuByRole;
  /** Saves of the checkpoint file during the command. */
  checkpointSaves: number;
  /** Bytes of those saves (the checkpoint's size at each). */
  checkpointBytesWritten: number;
  /** The checkpoint's size after the command, per location, in bytes (stack and provider entries included). */
  stateBytesPerResource: number;
  /** A location resource's entry in the checkpoint after the command, on average. */
  resourceState?: ResourceStateBytes;
  /**
   * When the first and the last API call reached the simulator, in seconds after the command began; absent
   * for phases without API calls. Before the first: the CLI's, the program's and the provider's start; after
   * the last: its answer, the final checkpoint and the processes' exit.
   */
  calls?: { firstSeconds: number; lastSeconds: number };
  /** The least time the phase's API calls can take through the firewall, in seconds. */
  physicalLimitSeconds: number;
  /** `wallSeconds / physicalLimitSeconds`; absent for phases without API calls. */
  ratio?: number;
}

/** How the run was set up. */
export interface CliRunSetup {
  locations: number;
  firewall: { limit: number; windowMs: number };
  latencyMs: number;
  jitterMs: number;
  /** The provider limiter's stack config. */
  limiter: Record<string, string>;
  /** Pulumi environment settings every command ran with (besides the checkpoint mode). */
  pulumiEnv: Record<string, string>;
  pulumiVersion: string;
  node: string;
  cpus: number;
  loadAverage: number;
}

/** Everything one run produced: the object `--json` prints. */
export interface CliBenchReport {
  setup: CliRunSetup;
  phases: CliPhaseFigures[];
  targets: TargetResult[];
}
