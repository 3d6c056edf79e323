import { PlumeError, type PlumeErrorDetails } from "./plumeError";

/** No HTTP response at all: DNS, refused or reset connection, TLS verification failure. */
export class PlumeNetworkError extends PlumeError {
  override name = "PlumeNetworkError";
  /** Node's error code, e.g. `ECONNREFUSED`, `ENOTFOUND`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`. */
  readonly code?: string;

  /** See `PlumeError`; `code` is Node's error code. */
  constructor(summary: string, details: PlumeErrorDetails & { code?: string }) {
    super(summary, details);
    this.code = details.code;
  }
}
