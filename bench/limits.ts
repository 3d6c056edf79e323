// The firewall's physical limit: no client can make more calls per second than the rolling window
// allows, so a phase of C calls takes at least C / (limit / window) seconds.

/** A firewall window: `limit` calls per `windowMs` milliseconds, rolling. */
export interface FirewallWindow {
  limit: number;
  windowMs: number;
}

/** Calls per second the window allows in the long run (100 per 5,000 ms = 20). */
export function windowRatePerSecond(window: FirewallWindow): number {
  return window.limit / (window.windowMs / 1000);
}

/**
 * The least wall time, in seconds, that `calls` API calls can take through the window: the calls divided
 * by the window's rate. 1,000 calls through 100 per 5 s take at least 50 s.
 */
export function physicalLimitSeconds(calls: number, window: FirewallWindow): number {
  return calls / windowRatePerSecond(window);
}

/**
 * Wall time as a multiple of the physical limit (1.0 = as fast as the firewall allows). `undefined` when
 * the phase made no API calls, so there is no limit to compare with.
 */
export function ratioToLimit(wallSeconds: number, calls: number, window: FirewallWindow): number | undefined {
  const limit = physicalLimitSeconds(calls, window);
  return limit > 0 ? wallSeconds / limit : undefined;
}

/**
 * The window the provider's limiter is configured to: the firewall's own, with `margin` (a share, 0.05 =
 * 5 %) of its calls kept free so the limiter's clock and the firewall's never disagree into a 403.
 * At least one call per window is always allowed.
 */
export function limiterWindow(firewall: FirewallWindow, margin: number): FirewallWindow {
  return { limit: Math.max(1, Math.floor(firewall.limit * (1 - margin))), windowMs: firewall.windowMs };
}
