import { PlumeError, type PlumeErrorDetails } from "./plumeError";

/**
 * Getting a token failed: the OAuth2 token endpoint refused (`invalid_client`, `invalid_scope`, ...) or the
 * admin login was refused. Retrying the same credentials will not help.
 */
export class PlumeTokenError extends PlumeError {
  override name = "PlumeTokenError";
  /** The OAuth2 `error` code (`invalid_client`, ...) or LoopBack's error code (`LOGIN_FAILED`), if sent. */
  readonly code?: string;

  /** See `PlumeError`; `code` is the OAuth2 or LoopBack error code. */
  constructor(summary: string, details: PlumeErrorDetails & { code?: string }) {
    super(summary, details);
    this.code = details.code;
  }
}
