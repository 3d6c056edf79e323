// The soak through the real Pulumi CLI. CI runs a small fleet with compressed windows; `npm run soak`
// runs 1,000 locations (PLUME_SOAK_LOCATIONS) and prints the figures that docs/reliability.md quotes.
import assert from "node:assert/strict";
import { runSoak, type SoakReport } from "./soak";
import { formatSoakReport } from "./soakReport";

/** Fleet size: 20 in CI; `PLUME_SOAK_LOCATIONS=1000` for the full soak. */
const LOCATIONS = Number(process.env.PLUME_SOAK_LOCATIONS ?? 20);
const PRINT_FIGURES = process.env.PLUME_SOAK_LOCATIONS !== undefined;

describe(`the soak: ${LOCATIONS} locations through the real Pulumi CLI under faults`, function () {
  this.timeout(Math.max(300_000, LOCATIONS * 2_000));
  let report: SoakReport;

  before(async function () {
    // The CI-sized fleet gets a firewall scaled down with it (40 calls per 2 s is sized for 100 locations), so
    // the window is still really hit.
    const firewall = PRINT_FIGURES
      ? {}
      : { firewall: { limit: Math.max(8, Math.round(LOCATIONS * 0.4)), windowMs: 2000 } };
    report = await runSoak({ locations: LOCATIONS, ...firewall });
    if (PRINT_FIGURES) console.log(formatSoakReport(report));
  });

  it("really injected every fault: random 5xx, resets, stalls past the timeout, firewall 403s, two revocations", function () {
    for (const run of [report.runs[0], report.runs[3]]) {
      const { counters } = run;
      assert.ok(counters.injectedFailures > 0, `${run.name}: no 5xx injected`);
      assert.ok(counters.firewallRejections > 0, `${run.name}: the firewall window was never hit`);
      assert.ok(
        counters.tokensIssued >= 2,
        `${run.name}: ${counters.tokensIssued} token issued, so the revocation did not bite`,
      );
    }
    const first = report.runs[0].counters;
    assert.ok(first.connectionsReset > 0, "no connection reset");
    assert.ok(first.stalls > 0, "no stalled response");
  });

  it("applies every location under faults with no failed step", function () {
    const { result } = report.runs[0];
    assert.deepEqual(result.failed, [], result.stdout);
    assert.equal(result.ok, true, result.error);
    assert.equal(result.counts.create, LOCATIONS + 1, "the locations and the stack");
  });

  it("makes zero writes on a second run of the same fleet", function () {
    const { result, counters } = report.runs[1];
    assert.equal(result.ok, true, result.error);
    assert.equal(result.counts.same, LOCATIONS + 1, "the locations and the stack");
    assert.equal(counters.patches, 0);
    assert.equal(counters.apiCalls, 0);
  });

  it("fails the run whose provider host is killed mid-apply, after part of the updates", function () {
    const { result } = report.runs[2];
    assert.equal(result.ok, false);
    assert.ok(report.updatesBeforeKill > 0 && report.updatesBeforeKill < LOCATIONS);
  });

  it("converges on the rerun after the kill without any repair", function () {
    const { result } = report.runs[3];
    assert.equal(result.ok, true, result.error);
    assert.equal(
      (result.counts.update ?? 0) + (result.counts.same ?? 0),
      LOCATIONS + 1,
      "the locations and the stack",
    );
    assert.deepEqual(report.unconverged, []);
  });

  it("never writes anything but a location's desired state, and never touches a location outside the fleet", function () {
    for (const run of report.runs) assert.deepEqual(run.wrongWrites, [], run.name);
    assert.deepEqual(report.bystandersTouched, []);
  });

  it("sees no unhandled rejection or uncaught exception anywhere", function () {
    assert.deepEqual(report.unhandled, []);
  });
});
