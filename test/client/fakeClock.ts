// A clock for the client and its rate limiter that only moves when the test says so: no sleeps, exact times.
import type { ClientClock } from "../../provider/client";

/** The wall-clock time a fake clock starts at: 2025-01-01T00:00:00Z. */
export const FAKE_EPOCH = Date.UTC(2025, 0, 1);

/**
 * A manual clock; `advance` fires due timers in time order and lets promise callbacks run. Timers shorter
 * than `runsOnItsOwnBelowMs` (the limiter's pace between two requests, a short backoff) fire by themselves on
 * the next turn of the event loop, moving time on by their length, so a test drives only the pauses it is
 * about. @default 0: every timer waits for `advance`
 */
export class FakeClock implements ClientClock {
  private time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(private readonly runsOnItsOwnBelowMs = 0) {}

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return FAKE_EPOCH + this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const id = this.nextId++;
    const at = this.time + ms;
    this.timers.push({ at, callback, id });
    if (ms < this.runsOnItsOwnBelowMs) {
      setImmediate(() => {
        if (this.timers.some((timer) => timer.id === id)) void this.advance(Math.max(0, at - this.time));
      });
    }
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }

  /** Number of timers pending. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    for (;;) {
      await settle();
      const due = this.timers
        .filter((timer) => timer.at <= target)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer.id !== due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }
}

/** Lets everything already queued run: promise callbacks, and one turn of the event loop. */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
