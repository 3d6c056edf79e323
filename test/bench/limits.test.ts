import assert from "node:assert/strict";
import { limiterWindow, physicalLimitSeconds, ratioToLimit, windowRatePerSecond } from "../../bench/limits";

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
