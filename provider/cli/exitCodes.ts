/**
 * The exit codes of `plume-fleet`, as documented in its `--help` and in docs/fleet.md. `plan` follows
 * `terraform plan -detailed-exitcode`: 2 means "it worked, and there are differences".
 */
export const EXIT_CODES = {
  /** Done; for `plan`, the fleet file matches Plume. */
  ok: 0,
  /** Problems in a file, a failed read from Plume, bad settings or a wrong command line. */
  failed: 1,
  /** `plan` only: the fleet file differs from Plume (changes, or locations missing in Plume). */
  changes: 2,
  /** Stopped by Ctrl-C (SIGINT); nothing was written. */
  interrupted: 130,
} as const;

/** One of {@link EXIT_CODES}. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
