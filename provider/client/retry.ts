// Which failures are retried, and how long to wait. One place for the whole policy.
//
// Retrying is safe for every request this client makes: GET only reads, and PATCH sets absolute values
// (`serviceId`, `profile`, `name`), so applying the same PATCH twice leaves the location exactly as applying
// it once. Token requests and logins only mint another token.
import { isFirewallRejection, type AttemptOutcome } from "./httpOutcome";

/** What to do after an attempt that did not succeed. */
export type RetryDecision =
  /**
   * Give up: the failure will not change by retrying (400, 404, 422, LoopBack 403, an unknown host, TLS, a
   * proxy's refusal, and any network error that is not known to be transient).
   */
  | { action: "fail" }
  /**
   * Retry after an exponential backoff with full jitter (a transient network error, a timeout, 408, 500,
   * 502, 503, 504, a proxy that could not reach Plume), or after
   * the response's `Retry-After` when that is longer (a 503 that says when to come back).
   */
  | { action: "backoff"; retryAfterMs?: number }
  /** Hold back every request of the process, then retry (the firewall's 403, or a 429). */
  | { action: "holdAll"; reason: "firewall" }
  | { action: "holdAll"; reason: "tooManyRequests"; retryAfterMs?: number }
  /** Fetch a fresh token once and retry once (an API 401). */
  | { action: "reauthenticate" };

const RETRIED_STATUSES = new Set([408, 500, 502, 503, 504]);

/**
 * Node's error codes of a connection that failed on the way and may well work on the next try: reset or
 * refused (a restarting server, "socket hang up"), timed out, a broken pipe, a network or host unreachable
 * for a moment, a DNS server that did not answer in time. Everything else (an unknown host, a certificate
 * that does not verify, a bad request option, an answer too large to read) fails at once: retrying cannot
 * change it.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "EPIPE",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTUNREACH",
  "EHOSTDOWN",
]);

/** Whether a network failure with Node's error `code` is worth retrying (see `TRANSIENT_NETWORK_CODES`). */
export function isTransientNetworkError(code: string | undefined): boolean {
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

/** Classifies a failed attempt. `isTokenRequest` is true for the OAuth2 token endpoint and the admin login. */
export function decideRetry(
  outcome: AttemptOutcome,
  isTokenRequest: boolean,
  nowWallMs = Date.now(),
): RetryDecision {
  switch (outcome.kind) {
    case "timeout":
      return { action: "backoff" };
    case "network":
      // A proxy's refusal (407, a CONNECT answered 403) stays until someone changes its settings; a proxy
      // that could not reach Plume (502, 503) is as transient as Plume's own 5xx.
      if (outcome.proxy?.status !== undefined) {
        return outcome.proxy.status < 500 ? { action: "fail" } : { action: "backoff" };
      }
      return isTransientNetworkError(outcome.code) ? { action: "backoff" } : { action: "fail" };
    case "response":
      if (RETRIED_STATUSES.has(outcome.status)) {
        const retryAfterMs = parseRetryAfterMs(outcome.headers["retry-after"], nowWallMs);
        return retryAfterMs === undefined ? { action: "backoff" } : { action: "backoff", retryAfterMs };
      }
      if (outcome.status === 429) {
        return {
          action: "holdAll",
          reason: "tooManyRequests",
          retryAfterMs: parseRetryAfterMs(outcome.headers["retry-after"], nowWallMs),
        };
      }
      if (isFirewallRejection(outcome)) return { action: "holdAll", reason: "firewall" };
      if (outcome.status === 401 && !isTokenRequest) return { action: "reauthenticate" };
      return { action: "fail" };
  }
}

/**
 * Backoff before retry number `retry` (1-based): full jitter, a uniform draw from
 * [0, min(maxMs, baseMs * 2^(retry-1))].
 */
export function backoffDelayMs(
  retry: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowWallMs = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowWallMs);
}
