import assert from "node:assert/strict";
import {
  RateLimiter,
  processRateLimiter,
  type LimiterSlot,
  type RateLimits,
} from "../../provider/client/rateLimiter";
import { FakeClock, settle } from "./fakeClock";

const generous: RateLimits = {
  maxRequestsPerSecond: 1000,
  windowLimit: 1000,
  windowMs: 60_000,
  maxConcurrency: 1000,
};

/**
 * Starts `count` acquisitions and records, in grant order, which one was granted at what time. With
 * `finishAtOnce`, each request finishes the moment it starts.
 */
function acquireMany(limiter: RateLimiter, clock: FakeClock, count: number, finishAtOnce = false) {
  const grants: { index: number; at: number; slot: LimiterSlot }[] = [];
  for (let index = 0; index < count; index++) {
    void limiter.acquire().then((slot) => {
      grants.push({ index, at: clock.now(), slot });
      if (finishAtOnce) slot.release();
    });
  }
  return grants;
}

describe("the rate limiter", () => {
  it("spaces request starts evenly at maxRequestsPerSecond, in arrival order", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, maxRequestsPerSecond: 4 }, clock);
    const grants = acquireMany(limiter, clock, 8);
    await clock.advance(2000);
    assert.deepEqual(
      grants.map((grant) => grant.index),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.deepEqual(
      grants.map((grant) => grant.at),
      [0, 250, 500, 750, 1000, 1250, 1500, 1750],
    );
  });

  it("never starts more than windowLimit requests in any rolling window", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, windowLimit: 3, windowMs: 1000 }, clock);
    const grants = acquireMany(limiter, clock, 7, true);
    await clock.advance(3000);
    assert.deepEqual(
      grants.map((grant) => grant.at),
      [0, 1, 2, 1000, 1001, 1002, 2000],
    );
  });

  it("counts a request in the window until windowMs after it finished, so latency cannot push past the firewall", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, windowLimit: 2, windowMs: 1000 }, clock);
    const grants = acquireMany(limiter, clock, 3);
    await clock.advance(500);
    assert.equal(grants.length, 2); // both in flight fill the window
    grants[0].slot.release();
    await clock.advance(999);
    assert.equal(grants.length, 2);
    await clock.advance(1);
    assert.equal(grants[2].at, 1500);
  });

  it("caps requests in flight at maxConcurrency and grants the next one on release", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, maxConcurrency: 2 }, clock);
    const grants = acquireMany(limiter, clock, 3);
    await clock.advance(100);
    assert.equal(grants.length, 2);
    assert.equal(limiter.snapshot().queued, 1);
    grants[0].slot.release();
    grants[0].slot.release(); // releasing twice must not free a second slot
    await settle();
    assert.equal(grants.length, 3);
    assert.equal(limiter.snapshot().inFlight, 2);
  });

  it("queues a burst of 1,000 requests and grants every one without failing", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter(
      { maxRequestsPerSecond: 100, windowLimit: 250, windowMs: 5000, maxConcurrency: 5 },
      clock,
    );
    const grants: number[] = [];
    for (let index = 0; index < 1000; index++) {
      void limiter.acquire().then((slot) => {
        grants.push(clock.now());
        slot.release();
      });
    }
    await clock.advance(30_000);
    assert.equal(grants.length, 1000);
    assert.equal(limiter.snapshot().maxQueued, 999); // the first is granted at once
    for (let i = 1; i < grants.length; i++)
      assert.ok(grants[i] - grants[i - 1] >= 10, `start ${i} came too soon`);
    for (let i = 250; i < grants.length; i++)
      assert.ok(grants[i] - grants[i - 250] >= 5000, `window exceeded at ${i}`);
    assert.equal(clock.pendingTimers, 0);
  });

  it("serves an urgent request (a login) before queued ones and beyond the concurrency cap", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, maxConcurrency: 1 }, clock);
    const order: string[] = [];
    void limiter.acquire().then(() => order.push("first"));
    void limiter.acquire().then(() => order.push("queued"));
    await settle();
    void limiter.acquire({ urgent: true }).then(() => order.push("urgent"));
    await clock.advance(10);
    assert.deepEqual(order, ["first", "urgent"]);
    assert.equal(limiter.snapshot().inFlight, 2);
  });

  it("holds back every request after a firewall rejection, not only the refused one", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, windowMs: 1600 }, clock);
    assert.equal(limiter.reportFirewallRejection(), 100);
    const grants = acquireMany(limiter, clock, 3);
    await clock.advance(99);
    assert.equal(grants.length, 0);
    await clock.advance(5);
    assert.deepEqual(
      grants.map((grant) => grant.at),
      [100, 101, 102],
    );
  });

  it("doubles the firewall hold for each rejection after a hold, up to windowMs, and resets on success", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, windowMs: 1600 }, clock);
    const holds: number[] = [];
    holds.push(limiter.reportFirewallRejection());
    await clock.advance(50);
    holds.push(limiter.reportFirewallRejection()); // in flight when the hold began: no escalation
    for (let i = 0; i < 6; i++) {
      await clock.advance(limiter.snapshot().heldForMs);
      holds.push(limiter.reportFirewallRejection());
    }
    assert.deepEqual(holds, [100, 50, 200, 400, 800, 1600, 1600, 1600]);
    await clock.advance(1600);
    limiter.reportAccepted();
    assert.equal(limiter.reportFirewallRejection(), 100);
  });

  it("keeps no timer while idle, even during a hold, so it never keeps the process alive", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, maxRequestsPerSecond: 1 }, clock);
    const grants = acquireMany(limiter, clock, 2);
    await settle();
    assert.equal(clock.pendingTimers, 1);
    await clock.advance(1000);
    for (const grant of grants) grant.slot.release();
    limiter.holdBack(10_000);
    assert.equal(clock.pendingTimers, 0);
  });

  it("applies new limits to requests already waiting", async () => {
    const clock = new FakeClock();
    const limiter = new RateLimiter({ ...generous, maxRequestsPerSecond: 1 }, clock);
    const grants = acquireMany(limiter, clock, 3);
    await settle();
    assert.equal(grants.length, 1);
    limiter.configure({ ...generous, maxRequestsPerSecond: 1000 });
    await clock.advance(2);
    assert.equal(grants.length, 3);
  });

  it("is shared by every client of the process that talks to the same API host", () => {
    const first = processRateLimiter("http://127.0.0.1:1", generous);
    const again = processRateLimiter("http://127.0.0.1:1", { ...generous, windowLimit: 7 });
    const other = processRateLimiter("http://127.0.0.1:2", generous);
    assert.equal(again, first);
    assert.notEqual(other, first);
    assert.equal(first.snapshot().limits.windowLimit, 7);
  });
});
