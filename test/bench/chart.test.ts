import assert from "node:assert/strict";
import { bucketCalls, niceCeiling, renderCallsChart, scaleLinear } from "../../bench/chart";

describe("the calls-per-second chart", () => {
  it("counts calls into one-second buckets, accepted apart from rejected", () => {
    const buckets = bucketCalls([
      { atMs: 10, rejected: false },
      { atMs: 999, rejected: true },
      { atMs: 2500, rejected: false },
    ]);
    assert.deepEqual(buckets, [
      { accepted: 1, rejected: 1 },
      { accepted: 0, rejected: 0 },
      { accepted: 1, rejected: 0 },
    ]);
  });

  const ceilings = [
    { value: 0, nice: 1 },
    { value: 0.3, nice: 0.5 },
    { value: 18, nice: 20 },
    { value: 22, nice: 50 },
    { value: 100, nice: 100 },
    { value: 1001, nice: 2000 },
  ];
  for (const { value, nice } of ceilings) {
    it(`rounds an axis of ${value} up to ${nice}`, () => {
      assert.equal(niceCeiling(value), nice);
    });
  }

  it("scales linearly and clamps values outside the axis", () => {
    assert.equal(scaleLinear(10, 20, 200), 100);
    assert.equal(scaleLinear(40, 20, 200), 200);
    assert.equal(scaleLinear(-5, 20, 200), 0);
    assert.equal(scaleLinear(5, 0, 200), 0);
  });

  it("draws the window's rate as a line at its height, and stacks rejected calls on accepted ones", () => {
    const svg = renderCallsChart({
      title: "calls",
      windowRatePerSecond: 20,
      panels: [{ title: "naive", buckets: [{ accepted: 20, rejected: 80 }] }],
    });
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const heights = [
      ...svg.matchAll(
        /<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="(#2e7d32|#c62828)"/g,
      ),
    ];
    // The legend draws one swatch of each colour first; the bars come after it.
    const accepted = heights.filter((match) => match[3] === "#2e7d32").at(-1)!;
    const rejected = heights.filter((match) => match[3] === "#c62828").at(-1)!;
    // The axis tops out at 200 (110 rounded up), so 80 rejected calls stand four times as tall as 20 accepted ones.
    assert.equal(Number(rejected[2]), Number(accepted[2]) * 4);
    assert.equal(Number(rejected[1]) + Number(rejected[2]), Number(accepted[1]));
    const windowLine = [
      ...svg.matchAll(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="[\d.]+" stroke="#1565c0"/g),
    ].at(-1)!;
    assert.equal(Number(windowLine[1]), Number(accepted[1]));
    assert.match(svg, /firewall window: 20 calls\/s/);
  });

  it("escapes titles so the document stays well-formed", () => {
    const svg = renderCallsChart({ title: "a < b & c", windowRatePerSecond: 1, panels: [] });
    assert.match(svg, /a &lt; b &amp; c/);
  });
});
