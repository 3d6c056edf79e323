// The process-wide rate limiter. Plume's firewall counts calls per source IP, so every client of one process
// that talks to the same API host shares one limiter (see `processRateLimiter`).
import { performance } from "node:perf_hooks";
import { Fifo } from "./fifo";
import { SharedFirewallBudget, budgetDirFor, type OthersInWindow } from "./sharedBudget";

/** The three limits, all applied to request starts (every HTTP attempt, retries and logins included). */
export interface RateLimits {
  /** Starts per second, evenly spaced (1000 / n ms apart). */
  maxRequestsPerSecond: number;
  /** Starts allowed in any rolling `windowMs`. */
  windowLimit: number;
  /** Length of the rolling window, in milliseconds. */
  windowMs: number;
  /** Requests in flight at once. */
  maxConcurrency: number;
}

/** Time source and timer of the limiter; injectable so tests can drive time without sleeping. */
export interface LimiterClock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `callback` after `ms`; returns a function that cancels it. */
  setTimer(callback: () => void, ms: number): () => void;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const systemClock: LimiterClock = {
  now: () => performance.now(),
  setTimer(callback, ms) {
    const timer = setTimeout(callback, ms);
    return () => clearTimeout(timer);
  },
};

/** A granted slot. Call `release()` once the response (or failure) is in; calling it twice is harmless. */
export interface LimiterSlot {
  /** Milliseconds the request waited in the queue (held-back time included). */
  readonly queuedMs: number;
  /** Frees the concurrency slot. */
  release(): void;
}

/** Counters and current state, for tests, debug output and the benchmark. */
export interface LimiterSnapshot {
  /** Slots granted since the limiter was created. */
  granted: number;
  /** Requests waiting right now. */
  queued: number;
  /** Longest queue seen. */
  maxQueued: number;
  /** Requests in flight right now. */
  inFlight: number;
  /** Starts within the current rolling window. */
  inWindow: number;
  /** Milliseconds until the current hold (after a firewall 403 or a 429) ends; 0 when not holding. */
  heldForMs: number;
  /** Holds started since the limiter was created. */
  holds: number;
  /** The limits in force. */
  limits: RateLimits;
}

interface Waiter {
  enqueuedAt: number;
  grant: (slot: LimiterSlot) => void;
}

/**
 * Grants request slots in strict FIFO order under three limits: an even pace of `maxRequestsPerSecond`, at
 * most `windowLimit` starts per rolling `windowMs`, and at most `maxConcurrency` in flight. A burst of any
 * size queues; nothing fails. `holdBack` pauses every grant (after a firewall 403 or a 429), not only the
 * request that was refused. Each grant and release is O(1) amortised. Timers exist only while requests
 * wait, so an idle limiter never keeps the process alive.
 */
export class RateLimiter {
  private limits: RateLimits;
  private readonly waiting = new Fifo<Waiter>();
  private readonly urgent = new Fifo<Waiter>();
  /**
   * When each request of the current window finished. A request counts in the window from its start until
   * `windowMs` after it finished: the server saw it at some moment in between, so counting it for that long
   * keeps under the server's window whatever the latency (a request granted now may arrive much later).
   */
  private readonly recentFinishes = new Fifo<number>();
  private lastStartAt = -Infinity;
  private inFlight = 0;
  private heldUntil = -Infinity;
  private firewallStrikes = 0;
  private cancelTimer: (() => void) | undefined;
  private granted = 0;
  private maxQueued = 0;
  private holds = 0;

  /**
   * `clock` defaults to the real one. With a `sharedBudget`, the window also counts the calls other processes
   * on this machine make to the same API host, and this limiter's calls count for them.
   */
  constructor(
    limits: RateLimits,
    private readonly clock: LimiterClock = systemClock,
    private readonly sharedBudget?: SharedFirewallBudget,
  ) {
    this.limits = { ...limits };
  }

  /** Replaces the limits; history (recent starts, holds, in-flight requests) is kept. */
  configure(limits: RateLimits): void {
    this.limits = { ...limits };
    this.pump();
  }

  /**
   * Waits for a slot, in arrival order. An `urgent` request (the admin login, which every queued call needs)
   * goes before every ordinary one and is not held to the concurrency cap, so a token never waits behind the
   * whole queue; it still keeps to the pace, the window and any hold.
   */
  acquire(options: { urgent?: boolean } = {}): Promise<LimiterSlot> {
    return new Promise((grant) => {
      (options.urgent ? this.urgent : this.waiting).push({ enqueuedAt: this.clock.now(), grant });
      this.maxQueued = Math.max(this.maxQueued, this.queuedCount());
      // Someone ahead is already waiting on a timer or a release, which will pump; FIFO means an ordinary
      // request cannot overtake them, so only an empty queue (or an urgent request) needs pumping here.
      if (options.urgent || this.queuedCount() === 1) this.pump();
    });
  }

  /** Holds back every grant for at least `ms` from now (a longer hold already in force is kept). */
  holdBack(ms: number): void {
    const until = this.clock.now() + ms;
    if (until > this.heldUntil) {
      if (this.heldUntil <= this.clock.now()) this.holds++;
      this.heldUntil = until;
      this.pump();
    }
  }

  /**
   * Records a firewall 403 and holds back every grant until the firewall's window has probably freed up:
   * `windowMs / 16` for the first rejection, doubling for each rejection after a hold ended without a
   * success in between, capped at `windowMs`. Rejections of requests that were already in flight when
   * the hold began do not extend it. Returns how long grants are held from now.
   */
  reportFirewallRejection(): number {
    const now = this.clock.now();
    if (now < this.heldUntil) return this.heldUntil - now;
    this.firewallStrikes++;
    const ms = Math.min(this.limits.windowMs, (this.limits.windowMs / 16) * 2 ** (this.firewallStrikes - 1));
    this.holdBack(ms);
    return ms;
  }

  /** Records a response the firewall let through, which ends the escalation of firewall holds. */
  reportAccepted(): void {
    if (this.clock.now() >= this.heldUntil) this.firewallStrikes = 0;
  }

  /** Current counters and state. */
  snapshot(): LimiterSnapshot {
    const now = this.clock.now();
    this.forgetOldFinishes(now);
    return {
      granted: this.granted,
      queued: this.queuedCount(),
      maxQueued: this.maxQueued,
      inFlight: this.inFlight,
      inWindow: this.recentFinishes.size + this.inFlight,
      heldForMs: Math.max(0, this.heldUntil - now),
      holds: this.holds,
      limits: { ...this.limits },
    };
  }

  private queuedCount(): number {
    return this.urgent.size + this.waiting.size;
  }

  private pump(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    while (this.queuedCount() > 0) {
      const queue = this.urgent.size > 0 ? this.urgent : this.waiting;
      if (queue === this.waiting && this.inFlight >= this.limits.maxConcurrency) return; // a release will pump
      const now = this.clock.now();
      const readyAt = this.nextStartAt(now);
      if (readyAt === Infinity) return; // a release will pump
      if (readyAt > now) {
        this.cancelTimer = this.clock.setTimer(
          () => {
            this.cancelTimer = undefined;
            this.pump();
          },
          Math.max(1, Math.ceil(readyAt - now)),
        );
        return;
      }
      this.grantFront(queue, now);
    }
  }

  /**
   * The earliest time the next request may start, given the pace, the window and any hold; `Infinity` when
   * only a request in flight finishing can make room (its release pumps).
   */
  private nextStartAt(now: number): number {
    this.forgetOldFinishes(now);
    let readyAt = Math.max(this.heldUntil, this.lastStartAt + 1000 / this.limits.maxRequestsPerSecond);
    const others = this.sharedBudget?.othersInWindow(this.limits.windowMs);
    if (others && others.inFlight + others.finishedMsAgo.length > 0) {
      return Math.max(readyAt, this.nextStartWithOthers(now, others));
    }
    const excess = this.recentFinishes.size + this.inFlight - this.limits.windowLimit;
    if (excess >= 0) {
      // excess + 1 finished requests must age out of the window (more than one only after the limit was
      // lowered); if too few have finished, wait for requests in flight instead.
      if (this.recentFinishes.size <= excess) return Infinity;
      readyAt = Math.max(readyAt, this.finishAt(excess) + this.limits.windowMs);
    }
    return readyAt;
  }

  /**
   * When the window has room, counting other processes' calls too. Their finishes age out like ours; when only
   * their calls in flight could make room, nothing here will pump on their release, so look again shortly.
   */
  private nextStartWithOthers(now: number, others: OthersInWindow): number {
    const excess =
      this.recentFinishes.size +
      this.inFlight +
      others.inFlight +
      others.finishedMsAgo.length -
      this.limits.windowLimit;
    if (excess < 0) return now;
    const finishes = [...this.finishesOldestFirst(), ...others.finishedMsAgo.map((ago) => now - ago)].sort(
      (a, b) => a - b,
    );
    if (finishes.length > excess) return finishes[excess] + this.limits.windowMs;
    return this.inFlight > 0 ? Infinity : now + Math.max(1, Math.min(250, this.limits.windowMs / 20));
  }

  private finishesOldestFirst(): number[] {
    const finishes: number[] = [];
    while (this.recentFinishes.size > 0) finishes.push(this.recentFinishes.shift() as number);
    for (const finish of finishes) this.recentFinishes.push(finish);
    return finishes;
  }

  /** The `index`-th oldest finish in the window. Linear in `index`, which is 0 except after reconfiguring. */
  private finishAt(index: number): number {
    if (index === 0) return this.recentFinishes.peek() as number;
    return this.finishesOldestFirst()[index];
  }

  private forgetOldFinishes(now: number): void {
    const cutoff = now - this.limits.windowMs;
    while (this.recentFinishes.size > 0 && (this.recentFinishes.peek() as number) <= cutoff) {
      this.recentFinishes.shift();
    }
  }

  private grantFront(queue: Fifo<Waiter>, now: number): void {
    const waiter = queue.shift() as Waiter;
    this.inFlight++;
    this.granted++;
    this.lastStartAt = now;
    this.sharedBudget?.recordStart();
    let released = false;
    waiter.grant({
      queuedMs: now - waiter.enqueuedAt,
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        this.recentFinishes.push(this.clock.now());
        this.sharedBudget?.recordFinish();
        this.pump();
      },
    });
  }
}

const limitersByOrigin = new Map<string, RateLimiter>();

/**
 * The one limiter of this process for the API at `origin` (`https://host:port`). Every client talking to
 * that host shares it, because the firewall counts per source IP, and it shares its window with every other
 * process on this machine talking to that host (see sharedBudget.ts): a preview and its apply, or stacks run
 * side by side, stay under the firewall together. The limits of the client created last apply; in a provider
 * process every client is built from the same settings anyway.
 */
export function processRateLimiter(origin: string, limits: RateLimits): RateLimiter {
  let limiter = limitersByOrigin.get(origin);
  if (limiter) {
    limiter.configure(limits);
  } else {
    limiter = new RateLimiter(limits, systemClock, new SharedFirewallBudget({ dir: budgetDirFor(origin) }));
    limitersByOrigin.set(origin, limiter);
  }
  return limiter;
}
