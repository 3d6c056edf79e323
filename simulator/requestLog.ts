// The request log: a bounded ring buffer of what clients sent, with every secret masked.
import type { AuthScheme } from "./tokens";

/** One logged request. */
export interface RequestLogEntry {
  /** Arrival time, ISO 8601 (by the simulator's clock). */
  at: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** How the request authenticated; the credential itself is never logged. */
  authScheme: AuthScheme;
  /** Status answered; 0 when the connection was reset without an answer. */
  status: number;
  /** The request body (JSON or form fields) with secrets masked; undefined when empty. */
  body?: unknown;
  /** The client's IP address, as the firewall sees it. */
  ip: string;
  /** Milliseconds spent answering, by the simulator's clock (injected latency and stalls included). */
  durationMs: number;
  /** Set when a fault switch or the firewall decided the answer. */
  fault?: "firewall" | "reset" | "stall" | "fail" | "random5xx";
}

/** What replaces a masked value. */
export const MASK = "***";

const SECRET_KEY = /pass(word|phrase)?|secret|token|wpa|psk|key|credential|authorization/i;
const MAX_TEXT_BODY = 2048;

/** Masks secret-looking fields of a parsed body, at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== "object") return value;
  const masked: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    masked[key] = SECRET_KEY.test(key) && field !== null && field !== "" ? MASK : maskSecrets(field);
  }
  return masked;
}

/** Masks a body that could not be parsed: kept only if short, and `key=value` secrets hidden. */
export function maskText(text: string): string {
  const short = text.length > MAX_TEXT_BODY ? `${text.slice(0, MAX_TEXT_BODY)}…` : text;
  // A quoted value runs to its closing quote, escaped quotes included, or to the end of a cut-off body.
  return short.replace(
    /("?[\w-]*(?:pass|secret|token|wpa|key)[\w-]*"?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|[^&\s,}]*)/gi,
    `$1${MASK}`,
  );
}

/** A ring buffer of the last `limit` requests. */
export class RequestLog {
  private entries: Array<RequestLogEntry | undefined>;
  private next = 0;
  private count = 0;

  constructor(private readonly limit: number) {
    this.entries = new Array(limit);
  }

  /** Adds an entry, dropping the oldest when full. */
  add(entry: RequestLogEntry): void {
    if (this.limit === 0) return;
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.limit;
    this.count = Math.min(this.count + 1, this.limit);
  }

  /** The entries, oldest first. */
  list(): RequestLogEntry[] {
    const start = (this.next - this.count + this.limit) % this.limit;
    const out: RequestLogEntry[] = [];
    for (let i = 0; i < this.count; i += 1) out.push(this.entries[(start + i) % this.limit]!);
    return out;
  }

  /** Empties the log. */
  clear(): void {
    this.entries = new Array(this.limit);
    this.next = 0;
    this.count = 0;
  }
}
