// The client's sense of time: one injectable source for the deadline, backoff pauses, attempt time limits,
// the shared rate limiter and token lifetimes, so tests can drive time instead of waiting for it.
import { systemClock, type LimiterClock } from "./rateLimiter";

/** Time source and timers of a client: the rate limiter's clock plus the wall clock. */
export interface ClientClock extends LimiterClock {
  /** Wall-clock milliseconds since the epoch: token lifetimes and `Retry-After` dates. */
  wallNow(): number;
}

/** The real clock: `performance.now()`, `setTimeout` and `Date.now()`. */
export const systemClientClock: ClientClock = Object.freeze({
  now: () => systemClock.now(),
  setTimer: (callback: () => void, ms: number) => systemClock.setTimer(callback, ms),
  wallNow: () => Date.now(),
});

/** Resolves after `ms` on `clock`; at once (no timer) for a pause of 0 or less. */
export function sleep(clock: LimiterClock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => clock.setTimer(resolve, ms));
}
