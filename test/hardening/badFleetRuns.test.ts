// Malformed fleet files through the real program, run by the end-to-end engine against the simulator: the
// run fails with the loader's file:line message, nothing at all is sent to Plume, and the resources of the
// previous run stay in state (a broken file must never read as "delete everything").
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningSimulator } from "../../simulator";
import { runProgram, type StackState } from "../support/engine";
import { REPO_ROOT } from "../support/providerHost";
import { type FleetCase, generateFleetCorpus } from "./corpus";
import { writeYamlFleet } from "./fleets";
import { FAIL_FAST_TUNING, oauthStackConfig, startCanarySimulator } from "./support";

/** A sample of the corpus: every format, field errors, an alias bomb, CRLF line counting, truncation. */
const SAMPLE_IDS = [
  "yaml-serviceId-a-1-mb-string",
  "yaml-alias-bomb",
  "csv-crlf-error-line",
  "csv-truncated-in-service-id",
  "json-duplicate-location",
];

describe("malformed fleet files through the real program and the engine", function () {
  this.timeout(180_000);
  let sim: RunningSimulator;
  let workDir: string;
  let deployed: StackState;
  const sample: FleetCase[] = generateFleetCorpus().filter((testCase) => SAMPLE_IDS.includes(testCase.id));

  function options(fleetFile: string) {
    return {
      projectDir: REPO_ROOT,
      config: { "fleet:file": fleetFile, ...oauthStackConfig(sim, FAIL_FAST_TUNING) },
      secretConfigKeys: ["plume:clientSecret"],
    };
  }

  before(async function () {
    assert.equal(sample.length, SAMPLE_IDS.length);
    sim = await startCanarySimulator(3);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "plume-bad-runs-"));
    const good = writeYamlFleet(
      path.join(workDir, "good.yaml"),
      [0, 1, 2].map((index) => ({ index, serviceId: `SVC-GOOD-${index}`, profile: "smallbusiness" })),
    );
    const first = await runProgram(options(good));
    assert.deepEqual(first.errors, []);
    deployed = first.state;
  });

  after(async function () {
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

      const run = await runProgram({ ...options(file), state: deployed });

      assert.equal(run.ok, false);
      const message = [...run.errors, ...run.logs.map((line) => line.message), run.stderr].join("\n");
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
      assert.equal(run.counts.delete, 0);
      assert.deepEqual(
        run.state.resources.map((resource) => resource.urn),
        deployed.resources.map((resource) => resource.urn),
      );
    });
  }
});
