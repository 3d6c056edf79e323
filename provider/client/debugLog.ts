// Opt-in debug logging: one line per HTTP attempt. It never sees a header or a body, only what is below,
// and every line is passed through the known-secret mask as a last line of defence.
import { maskKnownSecrets } from "./redact";

/** One finished HTTP attempt. */
export interface AttemptLogEntry {
  method: string;
  /** Request path without host or query. */
  path: string;
  /** HTTP status, or what happened instead (`timeout`, `ECONNRESET`). */
  result: string | number;
  /** 1-based attempt number within the call. */
  attempt: number;
  durationMs: number;
  /** Time spent waiting for the rate limiter before this attempt. */
  queuedMs?: number;
}

/** Writes debug lines when enabled; does nothing otherwise. */
export class DebugLog {
  /** `secrets` returns the secrets to mask at the time of writing (they include the current token). */
  constructor(
    private readonly enabled: boolean,
    private readonly write: (line: string) => void,
    private readonly secrets: () => Iterable<string>,
  ) {}

  /** Whether lines are written at all. */
  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Logs one attempt: `plume: GET /api/Customers/c1/locations/l1 -> 200 attempt=1 duration=12ms`. */
  attempt(entry: AttemptLogEntry): void {
    if (!this.enabled) return;
    const queued =
      entry.queuedMs !== undefined && entry.queuedMs >= 1 ? ` queued=${Math.round(entry.queuedMs)}ms` : "";
    this.line(
      `${entry.method} ${entry.path} -> ${entry.result} attempt=${entry.attempt} duration=${Math.round(entry.durationMs)}ms${queued}`,
    );
  }

  /** Logs a free-form event (a rate-limiter hold, a token renewal). */
  event(text: string): void {
    if (this.enabled) this.line(text);
  }

  private line(text: string): void {
    try {
      this.write(maskKnownSecrets(`plume: ${text}`, this.secrets()));
    } catch {
      // A failing logger must never fail the request it describes.
    }
  }
}
