import assert from "node:assert/strict";
import type { PhaseFigures, RunFigures, RunSetup } from "../../bench/figures";
import { evaluateTargets } from "../../bench/targets";

const setup: RunSetup = {
  locations: 1000,
  firewall: { limit: 100, windowMs: 5000 },
  latencyMs: 40,
  jitterMs: 20,
  providerConfig: {},
  providerInstall: "compiled",
  tokenLifetimeSeconds: 600,
  loadAverage: 0,
  node: "v20",
  cpus: 2,
};

function create(wallSeconds: number, failedOperations: number, tokenRequests = 1): PhaseFigures {
  return {
    phase: "create",
    client: "provider",
    operations: 1000,
    failedOperations,
    wallSeconds,
    apiCalls: 1000,
    firewallRejections: 0,
    tooManyRequests: 0,
    retries: 0,
    tokenRequests,
    physicalLimitSeconds: 50,
    ratio: wallSeconds / 50,
  };
}

const storm = { resources: 10000, checkSeconds: 2, diffSeconds: 2, totalSeconds: 4, loadSeconds: 0.5 };
const run: RunFigures = {
  providerPeakRssBytes: 200 * 1024 * 1024,
  serializedProviderBytes: 3702,
  stateBytesPerResource: 8000,
  checkDiffStorm: storm,
};

function verdicts(phases: PhaseFigures[], figures: RunFigures = run, given: RunSetup = setup): boolean[] {
  return evaluateTargets(given, phases, figures).map((target) => target.met);
}

describe("judging a run against issue 6's targets", () => {
  it("passes creates at exactly 1.15 times the limit with none failed, and every other target met", () => {
    assert.deepEqual(verdicts([create(57.5, 0)]), [true, true, true, true, true]);
  });

  for (const [wall, failed] of [
    [57.6, 0],
    [50, 1],
  ]) {
    it(`fails creates taking ${wall} s with ${failed} failed`, () => {
      assert.equal(verdicts([create(wall, failed)])[0], false);
    });
  }

  it("allows one token request per lifetime less the 30 s renewal lead, per process", () => {
    const shortLived = { ...setup, tokenLifetimeSeconds: 60 };
    assert.equal(verdicts([create(59, 0, 2)], run, shortLived)[1], true);
    assert.equal(verdicts([create(59, 0, 3)], run, shortLived)[1], false);
    assert.equal(verdicts([create(59, 0, 2)])[1], false);
  });

  it("fails the storm, memory and size targets at their limits, and reports what was not measured", () => {
    const heavy: RunFigures = {
      providerPeakRssBytes: 250 * 1024 * 1024,
      serializedProviderBytes: 4096,
      stateBytesPerResource: 9000,
      checkDiffStorm: { ...storm, totalSeconds: 5 },
    };
    assert.deepEqual(verdicts([create(50, 0)], heavy).slice(2), [false, false, false]);
    const targets = evaluateTargets(setup, [], { serializedProviderBytes: 10, stateBytesPerResource: 10 });
    assert.equal(targets[0].measured, "not measured in this run");
    assert.equal(targets[0].met, false);
  });
});
