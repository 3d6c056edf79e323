import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Fleet, FleetFileError, FleetValidationError, loadFleet } from "../../provider/fleet";
import { assertReadableMessage } from "./assertions";
import {
  type AcceptedOutcome,
  type EntryField,
  type ExpectedOutcome,
  type FleetCase,
  generateFleetCorpus,
  type RejectedOutcome,
  writeFleetCorpus,
} from "./corpus";

const corpus = generateFleetCorpus();

/** Whether a problem's field label (`locations[2].serviceId`, or a CSV column header) names `field`. */
function namesField(label: string, field: EntryField): boolean {
  return label === field || label.endsWith(`.${field}`);
}

/** Loads a file, returning the fleet or the error, so each test can assert on either. */
function attemptLoad(file: string): { fleet: Fleet } | { error: unknown } {
  try {
    return { fleet: loadFleet(file) };
  } catch (error) {
    return { error };
  }
}

/** Asserts that `error` is a clear loader error for `file` that matches the expected rejection. */
function assertClearRejection(error: unknown, file: string, expected: RejectedOutcome): void {
  if (error instanceof FleetFileError) {
    assert.deepEqual(
      { lines: expected.lines, field: expected.field },
      { lines: [], field: undefined },
      `a whole-file error was raised where a line and field were expected: ${error.message.slice(0, 300)}`,
    );
    assert.equal(error.file, file);
    assert.ok(error.hint.length > 0, "the error has no hint");
    assertReadableMessage(error.message, "FleetFileError");
    return;
  }
  assert.ok(
    error instanceof FleetValidationError,
    `expected a FleetValidationError, got ${String((error as Error)?.stack ?? error).slice(0, 500)}`,
  );
  assertReadableMessage(error.message, "FleetValidationError");
  assert.ok(error.message.includes(file), "the message does not name the file");
  assert.ok(error.hint.length > 0, "the error has no hint");
  assert.ok(error.problems.length > 0, "no problems listed");
  for (const problem of error.problems) {
    assert.equal(problem.file, file);
    assertReadableMessage(problem.message, `problem at line ${problem.line}`);
  }
  const matching = error.problems.filter(
    (problem) =>
      (expected.lines.length === 0 ||
        (problem.line !== undefined && expected.lines.includes(problem.line))) &&
      (expected.field === undefined || namesField(problem.path, expected.field)) &&
      (expected.mentions === undefined || problem.message.includes(expected.mentions)),
  );
  const where = [
    expected.lines.length > 0 ? `line ${expected.lines.join(" or ")}` : "",
    expected.field ?? "",
    expected.mentions === undefined ? "" : `mentioning ${expected.mentions}`,
  ].join(" ");
  assert.ok(
    matching.length > 0,
    `no problem at ${where}; got ${JSON.stringify(error.problems.map(({ line, path, message }) => ({ line, path, message: message.slice(0, 120) })))}`,
  );
  const located = matching.find((problem) => problem.line !== undefined);
  if (located !== undefined)
    assert.ok(error.message.includes(`${file}:${located.line}`), "no file:line in message");
}

/** Asserts the outcome of loading one corpus file. */
function assertOutcome(testCase: FleetCase, file: string): void {
  const outcome = attemptLoad(file);
  const expected = testCase.expected;
  if (expected.kind === "rejected") {
    assert.ok("error" in outcome, `loaded ${"fleet" in outcome ? outcome.fleet.entries.length : 0} entries`);
    assertClearRejection(outcome.error, file, expected);
    return;
  }
  if (expected.kind === "either") {
    if ("error" in outcome) assertClearRejection(outcome.error, file, expected.rejected);
    else assertAccepted(outcome.fleet, expected.accepted);
    return;
  }
  if (expected.kind === "tolerated") {
    if ("error" in outcome) {
      assertClearRejection(outcome.error, file, { kind: "rejected", lines: [], field: expected.field });
    } else {
      assert.equal(
        outcome.fleet.entries[expected.entry][expected.field],
        expected.value,
        "the value was altered",
      );
    }
    return;
  }
  if ("error" in outcome) assert.fail(`rejected: ${String((outcome.error as Error).message).slice(0, 500)}`);
  assertAccepted(outcome.fleet, expected);
}

/** Asserts that a loaded fleet holds what the case expects, read byte for byte. */
function assertAccepted(fleet: Fleet, expected: AcceptedOutcome): void {
  assert.equal(fleet.entries.length, expected.entries);
  assert.deepEqual(
    fleet.entries.map((entry) => entry.serviceId),
    expected.serviceIds,
  );
  if (expected.value !== undefined) {
    assert.equal(fleet.entries[expected.value.entry][expected.value.field], expected.value.is);
  }
}

function describeExpectation(expected: ExpectedOutcome): string {
  if (expected.kind === "accepted") return "loads";
  if (expected.kind === "either") return "loads cleanly or rejects clearly";
  if (expected.kind === "tolerated") return `rejects at ${expected.field} or keeps exactly as written`;
  const at = [expected.lines.length > 0 ? `line ${expected.lines[0]}` : "", expected.field ?? ""].filter(
    Boolean,
  );
  return at.length > 0 ? `rejects, naming ${at.join(" and ")} of` : "rejects, naming the file of";
}

describe("the fleet loader on malformed files", () => {
  let directory: string;
  let files: Map<string, string>;

  before(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), "plume-corpus-"));
    files = writeFleetCorpus(directory, corpus);
  });

  after(() => fs.rmSync(directory, { recursive: true, force: true }));

  it("covers a corpus of at least 200 files in YAML, CSV and JSON", () => {
    assert.ok(corpus.length >= 200, `only ${corpus.length} cases`);
    for (const format of ["yaml", "csv", "json"]) {
      assert.ok(corpus.filter((testCase) => testCase.format === format).length >= 50, `few ${format} cases`);
    }
  });

  for (const testCase of corpus) {
    it(`${describeExpectation(testCase.expected)} ${testCase.description} (${testCase.id})`, () => {
      assertOutcome(testCase, files.get(testCase.id)!);
    });
  }
});
