// Malformed fleet files through the real program, run by the real Pulumi CLI against the simulator: the
// run fails with the loader's file:line message, nothing at all is sent to Plume, and the resources of the
// previous run stay in state (a broken file must never read as "delete everything").
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator } from "../../simulator";
import type { TestStack } from "../support/pulumiStack";
import { type FleetCase, generateFleetCorpus } from "./corpus";
import { writeYamlFleet } from "./fleets";
import { createFleetStack, FAIL_FAST_TUNING, startCanarySimulator } from "./support";

/**
 * A sample of the corpus, one case of each format (every case of the corpus runs through the loader in
 * badFleetFiles.test.ts): a 1 MB field, CRLF line counting, a duplicate location.
 */
const SAMPLE_IDS = ["yaml-serviceId-a-1-mb-string", "csv-crlf-error-line", "json-duplicate-location"];

describe("malformed fleet files through the real program and the real Pulumi CLI", function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let workDir: string;
  let stack: TestStack;
  let deployed: string[];
  const sample: FleetCase[] = generateFleetCorpus().filter((testCase) => SAMPLE_IDS.includes(testCase.id));

  async function deployedUrns(): Promise<string[]> {
    return (await stack.resources()).map((resource) => resource.urn);
  }

  before(async function () {
    assert.equal(sample.length, SAMPLE_IDS.length);
    sim = await startCanarySimulator(3);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-bad-runs-"));
    const good = writeYamlFleet(
      path.join(workDir, "good.yaml"),
      [0, 1, 2].map((index) => ({ index, serviceId: `SVC-GOOD-${index}`, profile: "smallbusiness" })),
    );
    stack = await createFleetStack(sim, good, FAIL_FAST_TUNING);
    const first = await stack.up();
    assert.equal(first.ok, true, first.stderr);
    deployed = await deployedUrns();
    assert.equal(deployed.length, 5, "the stack, the default provider and three locations");
  });

  after(async function () {
    stack?.dispose();
    await sim?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  for (const id of SAMPLE_IDS) {
    it(`fails on ${id} naming file and line, sends nothing, and keeps every deployed resource`, async function () {
      const testCase = sample.find((candidate) => candidate.id === id)!;
      assert.equal(testCase.expected.kind, "rejected");
      const file = path.join(workDir, `${id}.${testCase.format}`);
      fs.writeFileSync(file, testCase.content);
      sim.resetCounters();

      await stack.setConfig({ "fleet:file": file });
      const run = await stack.up();

      assert.equal(run.ok, false);
      const message = [...run.diagnostics.map((line) => line.message), run.error ?? ""].join("\n");
      assert.ok(
        message.includes(path.basename(file)),
        `the failure does not name the file: ${message.slice(0, 500)}`,
      );
      const lines = testCase.expected.kind === "rejected" ? testCase.expected.lines : [];
      if (lines.length > 0) {
        assert.ok(
          lines.some((line) => message.includes(`${path.basename(file)}:${line}`)),
          `the failure does not name line ${lines.join(" or ")}: ${message.slice(0, 500)}`,
        );
      }
      assert.ok(message.length < 64 * 1024, "the failure dumps the input");
      assert.deepEqual(sim.requestLog(), [], "something was sent to Plume");
      assert.equal(run.counts.delete ?? 0, 0);
      assert.deepEqual(await deployedUrns(), deployed);
    });
  }
});
