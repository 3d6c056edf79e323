import { PlumeError } from "../client/errors";

/**
 * A create, read, update or delete of a PlumeLocationService failed. The message names the location
 * (`<customerId>/<locationId>`) and carries the underlying error's message and hint; `cause` is that error.
 */
export class PlumeLocationOperationError extends Error {
  override name = "PlumeLocationOperationError";
  /** What to do about it: the client's hint when the client failed. */
  readonly hint: string;

  constructor(
    /** `create`, `read`, `update` or `delete`. */
    readonly operation: string,
    /** `<customerId>/<locationId>`. */
    readonly location: string,
    override readonly cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const hint =
      cause instanceof PlumeError
        ? cause.hint
        : "This looks like a bug in pulumi-plume; please report it with the message above.";
    // A PlumeError's message already ends with its hint.
    const suffix = cause instanceof PlumeError ? "" : `\nHint: ${hint}`;
    super(`Could not ${operation} PlumeLocationService for location ${location}: ${reason}${suffix}`);
    this.hint = hint;
  }
}
