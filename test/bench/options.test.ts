import assert from "node:assert/strict";
import { BenchUsageError, defaultBenchOptions, parseBenchFlags } from "../../bench/options";

describe("the benchmark's flags", () => {
  it("default to 1,000 locations through a 100-per-5-s window with 40 ms latency", () => {
    const options = parseBenchFlags([]);
    assert.deepEqual(options, { ...defaultBenchOptions });
    assert.equal(options.locations, 1000);
    assert.equal(options.windowLimit, 100);
    assert.equal(options.windowMs, 5000);
    assert.equal(options.latencyMs, 40);
    assert.equal(options.checkDiffCount, 10000);
    assert.equal(options.tokenTtlSeconds, 600);
  });

  const cases: { argv: string[]; expected: Partial<typeof defaultBenchOptions> }[] = [
    { argv: ["--locations", "250"], expected: { locations: 250 } },
    {
      argv: ["--locations=20", "--window-limit", "10", "--window-ms", "1000"],
      expected: { locations: 20, windowLimit: 10, windowMs: 1000 },
    },
    { argv: ["--latency-ms", "0", "--jitter-ms", "5"], expected: { latencyMs: 0, jitterMs: 5 } },
    { argv: ["--token-ttl-s", "90"], expected: { tokenTtlSeconds: 90 } },
    { argv: ["--json", "--skip-baselines"], expected: { json: true, skipBaselines: true } },
    {
      argv: ["--check-diff-count", "500", "--chart", "out.svg"],
      expected: { checkDiffCount: 500, chartPath: "out.svg" },
    },
    {
      argv: ["--limiter-margin", "0.1", "--sequential-budget-s", "2.5"],
      expected: { limiterMargin: 0.1, sequentialBudgetSeconds: 2.5 },
    },
    { argv: ["--help"], expected: { help: true } },
  ];
  for (const { argv, expected } of cases) {
    it(`reads ${argv.join(" ")}`, () => {
      assert.deepEqual(parseBenchFlags(argv), { ...defaultBenchOptions, ...expected });
    });
  }

  it("reports every bad flag at once", () => {
    assert.throws(
      () =>
        parseBenchFlags([
          "--locations",
          "many",
          "--window-ms",
          "5.5",
          "--jitter-ms",
          "-1",
          "--bogus",
          "extra",
        ]),
      (error: unknown) => {
        assert.ok(error instanceof BenchUsageError);
        assert.deepEqual(error.problems, [
          "unknown flag --bogus",
          '--locations must be a number, got "many"',
          '--window-ms must be a whole number, got "5.5"',
          "--jitter-ms must be at least 0, got -1",
          "unexpected argument(s): extra",
        ]);
        assert.match(error.hint, /--help/);
        return true;
      },
    );
  });

  it("rejects a flag given without its value, and a margin of the whole window", () => {
    assert.throws(
      () => parseBenchFlags(["--limiter-margin", "1", "--locations"]),
      (error: unknown) =>
        error instanceof BenchUsageError &&
        error.problems.includes("--locations needs a value") &&
        error.problems.some((problem) => problem.startsWith("--limiter-margin must be below 1")),
    );
  });
});
