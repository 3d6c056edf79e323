import { PlumeNetworkError } from "./plumeNetworkError";
import type { PlumeErrorDetails } from "./plumeError";

/**
 * The proxy named by `HTTPS_PROXY` / `HTTP_PROXY` (or `ALL_PROXY`) could not be reached, refused the
 * request (407 Proxy Authentication Required, a CONNECT answered 403 or 502), or is not a usable URL. Plume
 * itself was not reached. Never holds the proxy's credentials.
 */
export class PlumeProxyError extends PlumeNetworkError {
  override name = "PlumeProxyError";
  /** The proxy's `host:port`, without credentials; absent when its URL could not be read. */
  readonly proxy?: string;
  /** The environment variable the proxy came from, as set (`HTTPS_PROXY`, `https_proxy`...). */
  readonly variable: string;
  /** The proxy's own answer (`407`, `403`, `502`), when it answered. */
  readonly proxyStatus?: number;

  /** See `PlumeError`; `code` is Node's error code of the connection to the proxy. */
  constructor(
    summary: string,
    details: PlumeErrorDetails & { code?: string; proxy?: string; variable: string; proxyStatus?: number },
  ) {
    super(summary, details);
    this.proxy = details.proxy;
    this.variable = details.variable;
    this.proxyStatus = details.proxyStatus;
  }
}
