// The firewall budget shared by the processes of one machine: ledgers in a directory per API host, a clock
// and process table injected, counts asserted (never elapsed time).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { RateLimiter, type LimiterSlot, type RateLimits } from "../../provider/client/rateLimiter";
import { SharedFirewallBudget, budgetDirFor } from "../../provider/client/sharedBudget";
import { FakeClock } from "./fakeClock";

const windowMs = 1000;
const limits: RateLimits = { maxRequestsPerSecond: 1000, windowLimit: 4, windowMs, maxConcurrency: 100 };
// The shared ledgers use epoch milliseconds; the fake clock starts at 0, so its epoch is this plus its time.
const epochBase = 1_800_000_000_000;

describe("the firewall budget shared between processes", () => {
  let dir: string;
  let clock: FakeClock;
  const alive = new Set<number>();

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "plume-budget-"));
    clock = new FakeClock();
    alive.clear();
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function processBudget(pid: number): SharedFirewallBudget {
    alive.add(pid);
    return new SharedFirewallBudget({
      dir,
      pid,
      now: () => epochBase + clock.now(),
      isProcessAlive: (other) => alive.has(other),
    });
  }

  it("keys the ledger directory by API host and port", () => {
    assert.equal(
      budgetDirFor("https://piranha-gamma.prod.us-west-2.aws.plumenet.io", "/run/x"),
      "/run/x/piranha-gamma.prod.us-west-2.aws.plumenet.io",
    );
    assert.equal(budgetDirFor("http://127.0.0.1:4020", "/run/x"), "/run/x/127.0.0.1_4020");
  });

  it("counts another process's calls while in flight and for one window after they finish", async () => {
    const preview = processBudget(101);
    const apply = processBudget(102);
    preview.recordStart();
    preview.recordStart();
    assert.deepEqual(apply.othersInWindow(windowMs), { inFlight: 2, finishedMsAgo: [] });

    await clock.advance(300);
    preview.recordFinish();
    await clock.advance(200);
    assert.deepEqual(apply.othersInWindow(windowMs), { inFlight: 1, finishedMsAgo: [200] });

    await clock.advance(800);
    assert.deepEqual(apply.othersInWindow(windowMs), { inFlight: 1, finishedMsAgo: [] });
  });

  it("does not count a process's own calls as another's", () => {
    const only = processBudget(101);
    only.recordStart();
    only.recordFinish();
    assert.deepEqual(only.othersInWindow(windowMs), { inFlight: 0, finishedMsAgo: [] });
  });

  it("counts a crashed process's unfinished calls for one window after they started, then deletes its ledger", async () => {
    const crashed = processBudget(101);
    const survivor = processBudget(102);
    crashed.recordStart();
    crashed.recordStart();
    crashed.recordFinish();
    alive.delete(101);

    assert.deepEqual(survivor.othersInWindow(windowMs), { inFlight: 1, finishedMsAgo: [0] });
    await clock.advance(windowMs);
    assert.deepEqual(survivor.othersInWindow(windowMs), { inFlight: 0, finishedMsAgo: [] });
    survivor.recordStart();
    assert.deepEqual(
      readdirSync(dir).map((name) => name.split("-")[0]),
      ["102"],
    );
  });

  it("keeps counting a live process's long call in flight past the window", async () => {
    const slow = processBudget(101);
    const other = processBudget(102);
    slow.recordStart();
    await clock.advance(5 * windowMs);
    assert.deepEqual(other.othersInWindow(windowMs), { inFlight: 1, finishedMsAgo: [] });
  });

  describe("in the rate limiter", () => {
    function grantsOf(limiter: RateLimiter, count: number, finishAfterMs: number) {
      const grants: number[] = [];
      for (let index = 0; index < count; index++) {
        void limiter.acquire().then((slot: LimiterSlot) => {
          grants.push(clock.now());
          clock.setTimer(() => slot.release(), finishAfterMs);
        });
      }
      return grants;
    }

    it("lets two processes together start no more than windowLimit calls in any window", async () => {
      const preview = new RateLimiter(limits, clock, processBudget(101));
      const apply = new RateLimiter(limits, clock, processBudget(102));
      const first = grantsOf(preview, 6, 10);
      const second = grantsOf(apply, 6, 10);
      await clock.advance(10 * windowMs);

      const starts = [...first, ...second].sort((a, b) => a - b);
      assert.equal(starts.length, 12);
      for (const start of starts) {
        const inWindow = starts.filter((other) => other >= start && other < start + windowMs).length;
        assert.ok(inWindow <= limits.windowLimit, `${inWindow} starts in the window from ${start} ms`);
      }
    });

    it("waits for another process's calls in flight, then for the window to roll past their finish", async () => {
      const busy = processBudget(101);
      for (let call = 0; call < limits.windowLimit; call++) busy.recordStart();
      const limiter = new RateLimiter(limits, clock, processBudget(102));
      const grants = grantsOf(limiter, 1, 10);

      await clock.advance(2000);
      assert.deepEqual(grants, []);
      for (let call = 0; call < limits.windowLimit; call++) busy.recordFinish();
      await clock.advance(windowMs + 500);
      assert.equal(grants.length, 1);
      assert.ok(grants[0] >= 2000 + windowMs, `granted at ${grants[0]} ms, before the window rolled`);
    });

    it("is not held up past one window by a process that crashed mid-call", async () => {
      const crashed = processBudget(101);
      for (let call = 0; call < limits.windowLimit; call++) crashed.recordStart();
      alive.delete(101);
      const limiter = new RateLimiter(limits, clock, processBudget(102));
      const grants = grantsOf(limiter, limits.windowLimit, 10);

      await clock.advance(windowMs + 500);
      assert.equal(grants.length, limits.windowLimit);
      assert.ok(grants.every((at) => at >= windowMs));
    });
  });
});
