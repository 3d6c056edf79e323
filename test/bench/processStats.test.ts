import assert from "node:assert/strict";
import { parseCpuTicks } from "../../bench/processStats";

describe("the CPU time reader", () => {
  it("adds user and system ticks, even when the command name holds spaces and parentheses", () => {
    const stat = "4242 (node (host) x) S 1 4242 4242 0 -1 4194304 10 0 0 0 350 25 0 0 20 0 11 0 100 1000 50";
    assert.equal(parseCpuTicks(stat), 375);
  });
});
