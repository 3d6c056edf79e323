/** What a Plume error knows about the request that failed. Nothing here may hold a secret. */
export interface PlumeErrorDetails {
  /** HTTP status of the last response, when there was one. */
  status?: number;
  /** HTTP method of the request, e.g. `PATCH`. */
  method?: string;
  /** Path of the request (no host, no query), e.g. `/api/Customers/c1/locations/l1`. */
  path?: string;
  /** The whole URL tried (no query), e.g. `https://api.example/api/Customers/c1/locations/l1`: it names the host. */
  url?: string;
  /** The message Plume put in its response body (LoopBack `error.message` or OAuth `error_description`). */
  plumeMessage?: string;
  /** What the person at the terminal should do about it. */
  hint: string;
  /** How many HTTP attempts were made before giving up. */
  attempts?: number;
  /** The underlying error (a network error code, a parse failure), for debugging. */
  cause?: unknown;
}

/**
 * Base class of every error the Plume client throws. The message reads on its own at a terminal:
 * what failed, on which request, what Plume said, and a hint. Secrets never appear in it.
 */
export class PlumeError extends Error {
  override name = "PlumeError";
  /** HTTP status of the last response, if any. */
  readonly status?: number;
  /** HTTP method of the failed request, if any. */
  readonly method?: string;
  /** Path of the failed request (no host, no query), if any. */
  readonly path?: string;
  /** The whole URL of the failed request (no query), if any. */
  readonly url?: string;
  /** Plume's own message from the response body, if it sent one. */
  readonly plumeMessage?: string;
  /** What to do about it. */
  readonly hint: string;
  /** How many HTTP attempts were made. */
  readonly attempts?: number;

  /** `summary` says what went wrong in a few words; the details add the request, Plume's message and a hint. */
  constructor(summary: string, details: PlumeErrorDetails) {
    super(
      composeMessage(summary, details),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.url = details.url;
    this.plumeMessage = details.plumeMessage;
    this.hint = details.hint;
    this.attempts = details.attempts;
  }
}

function composeMessage(summary: string, details: PlumeErrorDetails): string {
  let message = summary;
  const target = details.url ?? details.path;
  if (details.method && target) message += `: ${details.method} ${target}`;
  if (details.status !== undefined) message += ` (HTTP ${details.status})`;
  if (details.attempts !== undefined && details.attempts > 1)
    message += ` after ${details.attempts} attempts`;
  if (details.plumeMessage) message += `. Plume said: "${details.plumeMessage}"`;
  return `${message}.\nHint: ${details.hint}`;
}
