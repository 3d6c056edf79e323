import assert from "node:assert/strict";
import { limiterWindow, physicalLimitSeconds, ratioToLimit, windowRatePerSecond } from "../../bench/limits";
import { parseCpuTicks, parsePeakRssBytes } from "../../bench/processStats";

describe("the firewall's physical limit", () => {
  const cases = [
    { calls: 1000, limit: 100, windowMs: 5000, rate: 20, seconds: 50 },
    { calls: 2000, limit: 2000, windowMs: 300_000, rate: 2000 / 300, seconds: 300 },
    { calls: 10, limit: 10, windowMs: 1000, rate: 10, seconds: 1 },
    { calls: 0, limit: 100, windowMs: 5000, rate: 20, seconds: 0 },
  ];
  for (const { calls, limit, windowMs, rate, seconds } of cases) {
    it(`is ${seconds} s for ${calls} calls through ${limit} per ${windowMs} ms`, () => {
      assert.equal(windowRatePerSecond({ limit, windowMs }), rate);
      assert.equal(physicalLimitSeconds(calls, { limit, windowMs }), seconds);
    });
  }

  it("gives the ratio of wall time to the limit, and none when no call was made", () => {
    assert.equal(ratioToLimit(57.5, 1000, { limit: 100, windowMs: 5000 }), 1.15);
    assert.equal(ratioToLimit(3, 0, { limit: 100, windowMs: 5000 }), undefined);
  });

  it("keeps the limiter's margin of the window free, never below one call", () => {
    assert.deepEqual(limiterWindow({ limit: 100, windowMs: 5000 }, 0.05), { limit: 95, windowMs: 5000 });
    assert.deepEqual(limiterWindow({ limit: 2000, windowMs: 300_000 }, 0.1), {
      limit: 1800,
      windowMs: 300_000,
    });
    assert.deepEqual(limiterWindow({ limit: 1, windowMs: 1000 }, 0.5), { limit: 1, windowMs: 1000 });
  });
});

describe("the peak RSS reader", () => {
  it("reads VmHWM from a /proc status text, in bytes", () => {
    const status = "Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   81920 kB\nVmRSS:\t   40960 kB\n";
    assert.equal(parsePeakRssBytes(status), 81920 * 1024);
  });

  it("gives nothing when the line is missing", () => {
    assert.equal(parsePeakRssBytes("Name:\tkthreadd\n"), undefined);
  });
});

describe("the CPU time reader", () => {
  it("adds user and system ticks, even when the command name holds spaces and parentheses", () => {
    const stat = "4242 (node (host) x) S 1 4242 4242 0 -1 4194304 10 0 0 0 350 25 0 0 20 0 11 0 100 1000 50";
    assert.equal(parseCpuTicks(stat), 375);
  });
});
