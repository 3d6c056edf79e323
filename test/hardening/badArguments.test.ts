import assert from "node:assert/strict";
import { checkFailureOf, checkLocationServiceInputs } from "../../provider/core/schema";
import type { RunningSimulator } from "../../simulator";
import type { ProviderHost } from "../../support/providerHost";
import { assertReadableMessage } from "./assertions";
import { type ArgsCase, generateArgsCorpus } from "./corpus";
import { locationProps, oauthStackConfig, startCanarySimulator, startDeployment } from "./support";

const corpus = generateArgsCorpus();

/** Asserts what `check` answered for one corpus case. */
export function assertCheckOutcome(
  testCase: ArgsCase,
  result: { inputs: Record<string, unknown>; failures: { property: string; reason: string }[] },
): void {
  for (const failure of result.failures)
    assertReadableMessage(failure.reason, `failure of ${failure.property}`);
  const named = result.failures.filter((failure) => failure.property === testCase.property);
  if (testCase.outcome === "rejected") {
    assert.ok(
      named.length > 0,
      `expected a failure naming ${testCase.property}, got ${JSON.stringify(result.failures).slice(0, 500)}`,
    );
    return;
  }
  assert.deepEqual(result.failures, []);
  assert.equal(result.inputs[testCase.property], testCase.outcome.normalisedTo);
}

describe("check on malformed resource arguments", () => {
  it("covers a corpus of at least 70 argument sets", () => {
    assert.ok(corpus.length >= 70, `only ${corpus.length} cases`);
  });

  for (const testCase of corpus) {
    const outcome = testCase.outcome;
    const title =
      outcome === "rejected"
        ? `rejects ${testCase.description}, naming ${testCase.property}`
        : `reads ${testCase.description} as ${outcome.normalisedTo}, as the fleet loader does`;
    it(title, () => {
      const { inputs, problems } = checkLocationServiceInputs(testCase.args);
      assertCheckOutcome(testCase, { inputs, failures: problems.map(checkFailureOf) });
    });
  }
});

describe("check on malformed resource arguments, through the provider host", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let host: ProviderHost;

  before(async function () {
    sim = await startCanarySimulator(1);
    host = await startDeployment(oauthStackConfig(sim));
  });

  after(async function () {
    await host?.close();
    await sim?.close();
  });

  it("answers every argument set of the corpus as check does, and sends Plume nothing but the one token request that verifies the credentials", async function () {
    const provider = (await locationProps(0, "SVC-0")).__provider;
    for (const testCase of corpus) {
      const result = await host.check({}, { ...testCase.args, __provider: provider });
      assertCheckOutcome(testCase, { ...result, inputs: result.inputs });
    }
    assert.deepEqual(
      sim.requestLog().map((entry) => `${entry.method} ${entry.path}`),
      [`POST ${new URL(sim.tokenUrl).pathname}`],
    );
  });
});
