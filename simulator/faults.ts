// Fault switches: what a test can make go wrong, and the queue of faults still to be served.
import type { Firewall, FirewallSettings } from "./firewall";
import type { TokenStore } from "./tokens";

/** Which requests a queued fault applies to. */
export interface FaultTarget {
  /**
   * A path (no query) or a RegExp. A string matches that path and everything below it, so "/api" is every
   * API call, "/oauth2" the token endpoint, "/api/Customers/c1" all of customer c1.
   * @default "/api" (API calls only, never the token endpoint)
   */
  path?: string | RegExp;
  /** Only requests with this method (case-insensitive). @default any method */
  method?: string;
}

/** Options of `failNext`. */
export interface FailNextOptions extends FaultTarget {
  /**
   * The body of the failure: LoopBack JSON (`{"error":{...}}`, or Okta's `{"error","error_description"}` on
   * the token endpoint), an HTML page (as a gateway or firewall sends), or nothing. @default "json"
   */
  body?: "json" | "html" | "empty";
  /** Adds a `Retry-After` header with this many seconds. @default no header */
  retryAfterSeconds?: number;
}

/** A fault the server has to serve for one request. */
export type FaultAction =
  | { kind: "reset" }
  | { kind: "stall"; ms: number }
  | {
      kind: "fail";
      status: number;
      body: "json" | "html" | "empty";
      retryAfterSeconds?: number;
      random: boolean;
    };

interface QueuedFault<T> {
  remaining: number;
  target: FaultTarget;
  action: T;
}

/** A description of the switches, for `/__sim/faults` and debugging. */
export interface FaultStatus {
  latency: { fixedMs: number; jitterMs: number };
  random5xxRate: number;
  pendingFailures: Array<{ remaining: number; status: number; path: string; method?: string }>;
  pendingResets: number;
  pendingStalls: Array<{ remaining: number; ms: number; path: string }>;
  firewall: FirewallSettings;
}

type FailAction = Extract<FaultAction, { kind: "fail" }>;
type StallAction = Extract<FaultAction, { kind: "stall" }>;

/** The fault switches of one simulator. */
export class FaultSwitches {
  private latency: { fixedMs: number; jitterMs: number };
  private random5xxRate: number;
  private failures: Array<QueuedFault<FailAction>> = [];
  private resets: Array<QueuedFault<{ kind: "reset" }>> = [];
  private stalls: Array<QueuedFault<StallAction>> = [];

  constructor(
    private readonly startup: {
      latency: { fixedMs: number; jitterMs: number };
      random5xxRate: number;
      firewall: FirewallSettings;
    },
    private readonly firewall: Firewall,
    private readonly tokens: TokenStore,
    private readonly random: () => number,
  ) {
    this.latency = { ...startup.latency };
    this.random5xxRate = startup.random5xxRate;
  }

  /** Sets the latency added to every API and token request. */
  setLatency(latency: { fixedMs?: number; jitterMs?: number }): void {
    const fixedMs = latency.fixedMs ?? 0;
    const jitterMs = latency.jitterMs ?? 0;
    requireInteger("fixedMs", fixedMs, 0);
    requireInteger("jitterMs", jitterMs, 0);
    this.latency = { fixedMs, jitterMs };
  }

  /** Answers the next `count` matching requests with `status` instead of handling them. */
  failNext(count: number, status: number, options: FailNextOptions = {}): void {
    requireInteger("count", count, 1);
    requireInteger("status", status, 100, 599);
    const body = options.body ?? "json";
    if (!["json", "html", "empty"].includes(body))
      throw new TypeError('body must be "json", "html" or "empty"');
    if (options.retryAfterSeconds !== undefined)
      requireInteger("retryAfterSeconds", options.retryAfterSeconds, 0);
    this.failures.push({
      remaining: count,
      target: targetOf(options),
      action: { kind: "fail", status, body, retryAfterSeconds: options.retryAfterSeconds, random: false },
    });
  }

  /** Answers this share (0..1) of API and token requests with a 500 or 503. */
  setRandom5xxRate(rate: number): void {
    if (typeof rate !== "number" || !(rate >= 0 && rate <= 1))
      throw new RangeError("rate must be from 0 to 1");
    this.random5xxRate = rate;
  }

  /** Destroys the socket of the next `count` matching requests without answering. */
  resetNextConnections(count: number, target: FaultTarget = {}): void {
    requireInteger("count", count, 1);
    this.resets.push({ remaining: count, target: targetOf(target), action: { kind: "reset" } });
  }

  /**
   * Holds the next `count` matching requests for `ms` before handling them, to outlast a client timeout.
   * The request is still handled afterwards (a PATCH is applied even if the client gave up), as a slow
   * server would.
   */
  stallNext(count: number, ms: number, target: FaultTarget = {}): void {
    requireInteger("count", count, 1);
    requireInteger("ms", ms, 0);
    this.stalls.push({ remaining: count, target: targetOf(target), action: { kind: "stall", ms } });
  }

  /** Revokes every issued token. @returns how many there were */
  revokeAllTokens(): number {
    return this.tokens.revokeAll();
  }

  /** Changes the firewall limits (calls already counted stay counted). */
  setFirewall(settings: { limit?: number; windowMs?: number; countRejected?: boolean }): void {
    if (settings.limit !== undefined) requireInteger("limit", settings.limit, 1);
    if (settings.windowMs !== undefined) requireInteger("windowMs", settings.windowMs, 1);
    if (settings.countRejected !== undefined && typeof settings.countRejected !== "boolean") {
      throw new TypeError("countRejected must be a boolean");
    }
    this.firewall.configure(settings);
  }

  /**
   * Back to how the simulator started: startup latency, random-5xx rate and firewall limits, no queued
   * faults, and an empty firewall window. Tokens are not touched.
   */
  clear(): void {
    this.latency = { ...this.startup.latency };
    this.random5xxRate = this.startup.random5xxRate;
    this.failures = [];
    this.resets = [];
    this.stalls = [];
    this.firewall.configure(this.startup.firewall);
    this.firewall.reset();
  }

  /** The switches as they stand. */
  status(): FaultStatus {
    return {
      latency: { ...this.latency },
      random5xxRate: this.random5xxRate,
      pendingFailures: this.failures.map(({ remaining, target, action }) => ({
        remaining,
        status: action.status,
        path: String(target.path),
        ...(target.method ? { method: target.method } : {}),
      })),
      pendingResets: this.resets.reduce((sum, fault) => sum + fault.remaining, 0),
      pendingStalls: this.stalls.map(({ remaining, target, action }) => ({
        remaining,
        ms: action.ms,
        path: String(target.path),
      })),
      firewall: { ...this.firewall.current },
    };
  }

  /** Internal: consumes a queued reset for this request. */
  takeReset(method: string, path: string): boolean {
    return take(this.resets, method, path) !== undefined;
  }

  /** Internal: consumes a queued stall for this request. @returns the stall in ms, or 0 */
  takeStall(method: string, path: string): number {
    return take(this.stalls, method, path)?.ms ?? 0;
  }

  /** Internal: consumes a queued failure, or draws a random 5xx. */
  takeFailure(method: string, path: string): FailAction | undefined {
    const queued = take(this.failures, method, path);
    if (queued) return queued;
    if (this.random5xxRate > 0 && this.random() < this.random5xxRate) {
      return { kind: "fail", status: this.random() < 0.5 ? 500 : 503, body: "json", random: true };
    }
    return undefined;
  }

  /** Internal: the latency to add to this request, jitter drawn now. */
  drawLatencyMs(): number {
    const { fixedMs, jitterMs } = this.latency;
    return jitterMs > 0 ? fixedMs + Math.round(this.random() * jitterMs) : fixedMs;
  }
}

function targetOf(target: FaultTarget): FaultTarget {
  const path = target.path ?? "/api";
  if (typeof path !== "string" && !(path instanceof RegExp))
    throw new TypeError("path must be a string or RegExp");
  return { path, ...(target.method ? { method: target.method.toUpperCase() } : {}) };
}

function matches(target: FaultTarget, method: string, path: string): boolean {
  if (target.method && target.method !== method) return false;
  const wanted = target.path!;
  if (wanted instanceof RegExp) return wanted.test(path);
  return path === wanted || path.startsWith(wanted.endsWith("/") ? wanted : `${wanted}/`);
}

function take<T>(queue: Array<QueuedFault<T>>, method: string, path: string): T | undefined {
  const index = queue.findIndex((fault) => matches(fault.target, method, path));
  if (index < 0) return undefined;
  const fault = queue[index]!;
  fault.remaining -= 1;
  if (fault.remaining === 0) queue.splice(index, 1);
  return fault.action;
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
}
