/** What one HTTP attempt produced: a response (any status), a timeout, or a network failure. */
export type AttemptOutcome = ResponseOutcome | TimeoutOutcome | NetworkOutcome;

/** An HTTP response of any status. `json` is the parsed body, `undefined` when empty or not JSON. */
export interface ResponseOutcome {
  kind: "response";
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string>;
  /** Raw body text. Never logged: location bodies hold Wi-Fi keys and PPPoE passwords. */
  bodyText: string;
  json: unknown;
}

/** The attempt outlived its time limit. */
export interface TimeoutOutcome {
  kind: "timeout";
  timeoutMs: number;
}

/** No response: DNS, connection refused or reset, TLS failure. */
export interface NetworkOutcome {
  kind: "network";
  /** Node's error code, e.g. `ECONNRESET`. */
  code?: string;
  /** Node's error message (it holds no secret: no header or body is part of it). */
  message: string;
  /** Set when the attempt failed at a proxy, before reaching the target. */
  proxy?: ProxyFailure;
}

/** A failure at the proxy: it could not be reached, or it refused (a CONNECT refused, a 407). No secret. */
export interface ProxyFailure {
  /** The proxy's `host:port`, without credentials. */
  address: string;
  /** The variable the proxy came from, as set: `HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`... */
  variable: string;
  /** The target's `host:port`. */
  target: string;
  /** Whether the proxy URL holds a user name or password (sent as `Proxy-Authorization`). */
  sentCredentials: boolean;
  /** The proxy's answer (`407`, or a refused CONNECT's `403`, `502`), when it answered. */
  status?: number;
}

/** Parses a body as JSON; `undefined` for an empty or non-JSON body. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** LoopBack's error envelope: `{"error":{"statusCode","name","message","code"?,"details"?}}`. */
export interface LoopBackError {
  statusCode?: number;
  name?: string;
  message?: string;
  code?: string;
  details?: unknown;
}

/** The LoopBack error object of a response, if its body is LoopBack JSON. */
export function loopBackError(outcome: ResponseOutcome): LoopBackError | undefined {
  const json = outcome.json;
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  const error = (json as Record<string, unknown>).error;
  if (error === null || typeof error !== "object" || Array.isArray(error)) return undefined;
  return error as LoopBackError;
}

/**
 * Whether a 403 came from the firewall rather than from Plume's application. The firewall answers before
 * LoopBack, so its body is HTML, plain text or empty, never LoopBack's JSON error envelope.
 */
export function isFirewallRejection(outcome: AttemptOutcome): boolean {
  return outcome.kind === "response" && outcome.status === 403 && loopBackError(outcome) === undefined;
}
