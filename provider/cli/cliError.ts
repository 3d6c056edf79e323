/**
 * A failure of `plume-fleet` that is the user's to fix (a wrong argument, an unreadable file): printed as
 * its message and hint, without a stack trace, and the command exits with 1.
 */
export class CliError extends Error {
  override name = "CliError";
  /** What to do about it. */
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/** A command line `plume-fleet` cannot run: an unknown option, a missing argument, options that conflict. */
export class UsageError extends CliError {
  override name = "UsageError";

  /** `command` names the subcommand whose `--help` the hint points to, if any. */
  constructor(message: string, command?: string) {
    super(message, `Run \`plume-fleet ${command === undefined ? "" : `${command} `}--help\` for the usage.`);
  }
}

/** The run was stopped by Ctrl-C (SIGINT) before it finished. */
export class InterruptedError extends Error {
  override name = "InterruptedError";

  constructor() {
    super("Interrupted");
  }
}
