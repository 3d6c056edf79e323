// Counters and the call timeline, cheap enough to update on every request.

/** What the simulator has seen since it started or since `resetCounters()`. */
export interface SimulatorCounters {
  /** Requests under /api, whatever became of them (what the firewall sees; logins included). */
  apiCalls: number;
  /** Requests to the token endpoint. */
  tokenRequests: number;
  /** Access tokens the token endpoint issued. */
  tokensIssued: number;
  /** Login requests that reached the application (past the firewall and injected faults). */
  logins: number;
  /** Logins that returned a token. */
  loginsSucceeded: number;
  /** API calls the firewall answered with its 403. */
  firewallRejections: number;
  /** GETs of one location that reached the application. */
  gets: number;
  /** Location list GETs that reached the application. */
  lists: number;
  /** PATCHes that reached the application. */
  patches: number;
  /** PATCHes that changed a location (answered 200). */
  patchesApplied: number;
  /** Answers by status code (API and token endpoint; not /__sim/). */
  byStatus: Record<string, number>;
  /** Requests being handled right now (API and token endpoint). */
  inFlight: number;
  /** The most requests handled at once. */
  maxInFlight: number;
  /** Connections destroyed by `resetNextConnections`. */
  connectionsReset: number;
  /** Requests held by `stallNext`. */
  stalls: number;
  /** Requests answered by `failNext` or the random 5xx rate. */
  injectedFailures: number;
}

/** Call times for charting calls per second against the firewall window. */
export interface CallTimes {
  /** Epoch milliseconds (simulator clock) the times count from: start, or the last `resetCounters()`. */
  origin: number;
  /** Arrival of each API call the firewall let through, in ms since `origin`. */
  accepted: number[];
  /** Arrival of each API call the firewall rejected, in ms since `origin`. */
  rejected: number[];
  /** True when more calls arrived than `callTimesLimit` allows keeping. */
  truncated: boolean;
  /** The firewall limits in force when the times were read. */
  firewall: { limit: number; windowMs: number };
}

/** Counters and call times of one simulator. */
export class Metrics {
  counters: SimulatorCounters = Metrics.zero(0);
  private origin: number;
  private accepted: number[] = [];
  private rejected: number[] = [];
  private truncated = false;

  constructor(
    private readonly now: () => number,
    private readonly callTimesLimit: number,
  ) {
    this.origin = now();
  }

  /** Zeroes every counter and the timeline (requests in flight stay in flight). */
  reset(): void {
    this.counters = Metrics.zero(this.counters.inFlight);
    this.origin = this.now();
    this.accepted = [];
    this.rejected = [];
    this.truncated = false;
  }

  /** A request started. */
  started(): void {
    const counters = this.counters;
    counters.inFlight += 1;
    if (counters.inFlight > counters.maxInFlight) counters.maxInFlight = counters.inFlight;
  }

  /** A request ended with `status` (0: no answer). */
  finished(status: number): void {
    const counters = this.counters;
    counters.inFlight = Math.max(0, counters.inFlight - 1);
    if (status > 0) counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  }

  /** Records the firewall's decision on an API call that arrived at `at`. */
  firewallDecision(at: number, accepted: boolean): void {
    if (!accepted) this.counters.firewallRejections += 1;
    const series = accepted ? this.accepted : this.rejected;
    if (this.accepted.length + this.rejected.length >= this.callTimesLimit) {
      this.truncated = true;
      return;
    }
    series.push(at - this.origin);
  }

  /** Copies of the call times. */
  callTimes(firewall: { limit: number; windowMs: number }): CallTimes {
    return {
      origin: this.origin,
      accepted: this.accepted.slice(),
      rejected: this.rejected.slice(),
      truncated: this.truncated,
      firewall: { limit: firewall.limit, windowMs: firewall.windowMs },
    };
  }

  /** A copy of the counters. */
  snapshot(): SimulatorCounters {
    return { ...this.counters, byStatus: { ...this.counters.byStatus } };
  }

  private static zero(inFlight: number): SimulatorCounters {
    return {
      apiCalls: 0,
      tokenRequests: 0,
      tokensIssued: 0,
      logins: 0,
      loginsSucceeded: 0,
      firewallRejections: 0,
      gets: 0,
      lists: 0,
      patches: 0,
      patchesApplied: 0,
      byStatus: {},
      inFlight,
      maxInFlight: inFlight,
      connectionsReset: 0,
      stalls: 0,
      injectedFailures: 0,
    };
  }
}
