import {
  PlumeAuthError,
  PlumeError,
  PlumeNetworkError,
  PlumeProxyError,
  PlumeTimeoutError,
  PlumeTokenError,
} from "../client/errors";

/**
 * What operators need to know when a read or delete cannot authenticate or reach Plume: `pulumi refresh`,
 * `pulumi destroy` and the refresh of `pulumi up --refresh` configure the provider with the stack config
 * stored in state by the last `pulumi up`, not with the stack's config file as it is now.
 */
export const STORED_SETTINGS_HINT =
  "`pulumi refresh`, `pulumi destroy` and `pulumi up --refresh` connect with the plume:* settings that the last " +
  "`pulumi up` stored in the stack's state, not with Pulumi.<stack>.yaml as it is now. If you changed them since " +
  "(a rotated client secret, a new apiUrl), add --run-program to the command, or run `pulumi up` first.";

/** Failures that a stale stored setting causes: refused credentials, an unreachable or silent host. */
function mayComeFromStoredSettings(operation: string, cause: unknown): boolean {
  if (operation !== "read" && operation !== "delete") return false;
  // The proxy comes from this run's environment (HTTPS_PROXY, NO_PROXY), never from state.
  if (cause instanceof PlumeProxyError) return false;
  return [PlumeAuthError, PlumeTokenError, PlumeNetworkError, PlumeTimeoutError].some(
    (kind) => cause instanceof kind,
  );
}

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
    let suffix = cause instanceof PlumeError ? "" : `\nHint: ${hint}`;
    if (mayComeFromStoredSettings(operation, cause)) suffix += `\nNote: ${STORED_SETTINGS_HINT}`;
    super(`Could not ${operation} PlumeLocationService for location ${location}: ${reason}${suffix}`);
    this.hint = hint;
  }
}
