// The web application firewall in front of Plume's API: a rolling window per client IP. A call is let
// through while fewer than `limit` counted calls from that IP fall within the last `windowMs`.

/** Firewall settings (see `FirewallOptions` for the defaults). */
export interface FirewallSettings {
  limit: number;
  windowMs: number;
  /** Whether rejected calls count toward the window as well as accepted ones. */
  countRejected: boolean;
}

/** Timestamps in arrival order, with O(1) amortised push and expiry. */
class TimestampQueue {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  push(time: number): void {
    this.times.push(time);
  }

  /** Drops timestamps at or before `cutoff`. */
  dropUpTo(cutoff: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= cutoff) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

/** The rolling-window firewall. */
export class Firewall {
  private readonly windows = new Map<string, TimestampQueue>();

  constructor(
    private settings: FirewallSettings,
    private readonly now: () => number,
  ) {}

  /** Current settings. */
  get current(): Readonly<FirewallSettings> {
    return this.settings;
  }

  /** Changes the limits; calls already counted stay counted. */
  configure(changes: Partial<FirewallSettings>): void {
    this.settings = { ...this.settings, ...changes };
  }

  /**
   * Decides on one call from `ip` arriving now and counts it. A call at time t sees the calls counted in
   * (t - windowMs, t]: the first call of a full window leaves it exactly `windowMs` after it arrived.
   * @returns whether the call may pass
   */
  admit(ip: string): boolean {
    const now = this.now();
    let window = this.windows.get(ip);
    if (!window) {
      window = new TimestampQueue();
      this.windows.set(ip, window);
    }
    window.dropUpTo(now - this.settings.windowMs);
    const allowed = window.size < this.settings.limit;
    if (allowed || this.settings.countRejected) window.push(now);
    return allowed;
  }

  /** How many counted calls from `ip` are in the window now. */
  usage(ip: string): number {
    const window = this.windows.get(ip);
    if (!window) return 0;
    window.dropUpTo(this.now() - this.settings.windowMs);
    return window.size;
  }

  /** Forgets every counted call. */
  reset(): void {
    this.windows.clear();
  }
}
