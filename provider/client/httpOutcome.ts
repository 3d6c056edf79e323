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
