// What the benchmark reads from the simulator, and how it tells retries apart in the request log.

/** One request as the simulator's request log records it (the fields the benchmark reads). */
export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

/** The parts of a running simulator the benchmark uses. */
export interface BenchSimulator {
  url: string;
  tokenUrl: string;
  counters(): {
    apiCalls: number;
    tokenRequests: number;
    firewallRejections: number;
    byStatus: Record<string, number>;
  };
  callTimes(): { accepted: number[]; rejected: number[] };
  requestLog(): LoggedRequest[];
  resetCounters(): void;
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

/**
 * Counts retries as the server sees them: attempts of a method and path that follow a failed attempt
 * (any status outside 2xx, or a connection that got no answer) of the same method and path.
 */
export function countRetries(log: readonly LoggedRequest[]): number {
  const failedBefore = new Set<string>();
  let retries = 0;
  for (const entry of log) {
    const key = `${entry.method} ${entry.path}`;
    if (failedBefore.has(key)) retries += 1;
    if (entry.status >= 200 && entry.status < 300) failedBefore.delete(key);
    else failedBefore.add(key);
  }
  return retries;
}
