import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fleetCli, scratchDir } from "./cliHarness";

describe("plume-fleet validate", () => {
  let dir: string;
  before(() => {
    dir = scratchDir();
    writeFileSync(
      join(dir, "good.yaml"),
      "locations:\n  - customerId: c1\n    locationId: l1\n    serviceId: HSI-1\n    profile: WorkPass\n",
    );
    writeFileSync(
      join(dir, "bad.csv"),
      "customerId,locationId,serviceId,profile\nc1,l1,HSI-1,premium\nc1,l2,,auto\nc1,l1,HSI-3,auto\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts a valid file, saying how many locations it holds, and exits 0", async () => {
    const run = await fleetCli(["validate", "good.yaml"], { cwd: dir });

    assert.equal(run.code, 0);
    assert.equal(run.stdout, "good.yaml: 1 location, valid\n");
  });

  it("lists every problem of every file at once as file:line field: message, and exits 1", async () => {
    const run = await fleetCli(["validate", "good.yaml", "bad.csv"], { cwd: dir });

    assert.equal(run.code, 1);
    const lines = run.stdout.split("\n");
    assert.ok(lines.includes("good.yaml: 1 location, valid"));
    assert.match(run.stdout, /^bad\.csv:2 profile: must be "auto" or "smallbusiness"/m);
    assert.match(run.stdout, /^bad\.csv:3 serviceId: /m);
    assert.match(run.stdout, /^bad\.csv:4: location "c1"\/"l1" is listed twice \(lines 2 and 4\)/m);
    assert.ok(lines.includes("bad.csv: 3 problems"));
  });

  it("reports a file it cannot read as a problem of that file", async () => {
    const run = await fleetCli(["validate", "absent.yaml"], { cwd: dir });

    assert.equal(run.code, 1);
    assert.match(run.stdout, /absent\.yaml: Cannot load fleet file absent\.yaml: no such file/);
  });

  it("prints the same result as JSON with --json", async () => {
    const run = await fleetCli(["validate", "--json", "good.yaml", "bad.csv"], { cwd: dir });

    assert.equal(run.code, 1);
    const result = JSON.parse(run.stdout) as {
      ok: boolean;
      files: {
        file: string;
        locations?: number;
        problems: { file: string; line: number; field: string; code: string; message: string }[];
      }[];
    };
    assert.equal(result.ok, false);
    assert.deepEqual(
      result.files.map((file) => [file.file, file.locations, file.problems.map((problem) => problem.line)]),
      [
        ["good.yaml", 1, []],
        ["bad.csv", undefined, [2, 3, 4]],
      ],
    );
    const [firstProblem] = result.files[1].problems;
    assert.deepEqual(Object.keys(firstProblem), ["file", "line", "field", "code", "message"]);
    assert.deepEqual([firstProblem.field, firstProblem.code], ["profile", "bad-profile"]);
  });

  it("reads a file with another extension in the format given by --format", async () => {
    writeFileSync(join(dir, "export.txt"), "customerId,locationId,serviceId\nc9,l9,HSI-9\n");

    const run = await fleetCli(["validate", "--format", "csv", "export.txt"], { cwd: dir });

    assert.equal(run.code, 0, run.stdout);
  });

  it("refuses a command line without a file or with an unknown option, pointing to --help, with exit 1", async () => {
    for (const args of [["validate"], ["validate", "--strict", "good.yaml"]]) {
      const run = await fleetCli(args, { cwd: dir });
      assert.equal(run.code, 1);
      assert.match(run.stderr, /Hint: Run `plume-fleet validate --help`/);
    }
  });
});
