import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  EngineError,
  runProgram,
  startRun,
  type RunProgramOptions,
  type RunResult,
  type StackState,
} from "../support/engine";

// The test engine's own behaviour, on a fixture program whose dynamic provider journals every call to a
// file: what the engine calls, in which order, and what it keeps in the checkpoint.

const projectDir = join(__dirname, "fixtures", "ledger");
const entryType = "pulumi-nodejs:dynamic/ledger:Entry";

interface Ledger {
  entries: Record<string, string>;
  journal: { op: string; key: string; value?: string }[];
}

type Entries = Record<
  string,
  { key?: string; value: string; valueFromIdOf?: string; aliasOf?: string; deleteFirst?: boolean }
>;

describe("the test engine", function () {
  this.timeout(60_000);
  let workDir: string;
  let ledgerFile: string;
  // Most tests start from the same deployment of entries a=1 and b=2, made once.
  const base: Entries = { a: { value: "1" }, b: { value: "2" } };
  let first: RunResult;
  let baseLedger: string;

  before(async () => {
    workDir = mkdtempSync(join(tmpdir(), "plume-engine-"));
    ledgerFile = join(workDir, "ledger.json");
    first = await run(base);
    assert.deepEqual(first.errors, []);
    baseLedger = readFileSync(ledgerFile, "utf8");
  });

  beforeEach(() => writeFileSync(ledgerFile, baseLedger));

  after(() => rmSync(workDir, { recursive: true, force: true }));

  function ledger(): Ledger {
    return JSON.parse(readFileSync(ledgerFile, "utf8")) as Ledger;
  }

  /** The provider calls made since the base deployment, as "op key" lines. */
  function callsSinceBase(): string[] {
    return ledger()
      .journal.slice(2)
      .map((call) => `${call.op} ${call.key}`);
  }

  function entryIds(state: StackState): string[] {
    return state.resources
      .filter((resource) => resource.type === entryType)
      .map((resource) => String(resource.id))
      .sort();
  }

  function run(entries: Entries, options: Partial<RunProgramOptions> = {}) {
    return runProgram({
      projectDir,
      config: { "ledger:file": ledgerFile, "ledger:entries": entries },
      ...options,
    });
  }

  it("creates every declared resource through the real provider host and checkpoints it as the engine does", () => {
    assert.equal(first.ok, true);
    assert.deepEqual(first.counts, { create: 2, update: 0, same: 0, replace: 0, delete: 0, read: 0 });
    assert.deepEqual(JSON.parse(baseLedger).entries, { a: "1", b: "2" });
    assert.deepEqual(first.outputs, { values: ["1", "2"] });
    assert.ok(first.logs.some((line) => line.severity === "info" && line.message === "declared 2 entries"));
    const types = first.state.resources.map((resource) => resource.type);
    assert.deepEqual(types.slice(0, 2), ["pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs"]);
    assert.deepEqual(entryIds(first.state), ["a", "b"]);
    const [stack, provider] = first.state.resources;
    const entry = first.state.resources.find((resource) => resource.id === "a")!;
    assert.equal(entry.urn, `urn:pulumi:dev::ledger::${entryType}::a`);
    assert.equal(entry.parent, stack.urn);
    assert.equal(stack.urn, "urn:pulumi:dev::ledger::pulumi:pulumi:Stack::ledger-dev");
    assert.match(String(entry.inputs.__provider), /exports\.handler/);
    assert.equal(entry.outputs.__provider, entry.inputs.__provider);
    assert.equal(entry.provider, `${provider.urn}::${provider.id}`);
  });

  it("leaves unchanged resources alone on the next run, without a single provider write", async () => {
    const result = await run(base, { state: first.state });

    assert.deepEqual(result.counts, { create: 0, update: 0, same: 2, replace: 0, delete: 0, read: 0 });
    assert.deepEqual(callsSinceBase(), []);
    assert.deepEqual(result.state, first.state);
  });

  it("updates changed resources and deletes undeclared ones only after every create and update", async () => {
    const result = await run({ a: { value: "1b" }, c: { value: "3" } }, { state: first.state });

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 1, update: 1, same: 0, replace: 0, delete: 1, read: 0 });
    assert.deepEqual(result.steps.find((step) => step.op === "update")?.changedKeys, ["value"]);
    const calls = callsSinceBase();
    assert.deepEqual(calls.slice(0, 2).sort(), ["create c", "update a"]);
    assert.deepEqual(calls.slice(2), ["delete b"]);
    assert.deepEqual(entryIds(result.state), ["a", "c"]);
  });

  for (const { deleteFirst, order } of [
    { deleteFirst: false, order: ["create a2", "delete a"] },
    { deleteFirst: true, order: ["delete a", "create a2"] },
  ]) {
    it(`replaces a resource ${deleteFirst ? "deleting first when the provider asks" : "creating the new one first"}`, async () => {
      const result = await run(
        { ...base, a: { key: "a2", value: "1", deleteFirst } },
        { state: first.state },
      );

      assert.deepEqual(result.errors, []);
      assert.equal(result.counts.replace, 1);
      assert.deepEqual(callsSinceBase(), order);
      assert.deepEqual(entryIds(result.state), ["a2", "b"]);
    });
  }

  it("follows an alias: a renamed resource is the same resource, neither created nor deleted", async () => {
    const result = await run(
      { a: base.a, renamed: { key: "b", value: "2", aliasOf: "b" } },
      { state: first.state },
    );

    assert.deepEqual(result.counts, { create: 0, update: 0, same: 2, replace: 0, delete: 0, read: 0 });
    assert.deepEqual(callsSinceBase(), []);
    assert.ok(
      result.state.resources.some(
        (resource) => resource.urn === `urn:pulumi:dev::ledger::${entryType}::renamed`,
      ),
    );
    assert.deepEqual(entryIds(result.state), ["a", "b"]);
  });

  it("previews the plan without writing anything or changing the checkpoint", async () => {
    const result = await run(
      { a: { value: "1b" }, c: { value: "3" } },
      { state: first.state, mode: "preview" },
    );

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 1, update: 1, same: 0, replace: 0, delete: 1, read: 0 });
    assert.deepEqual(callsSinceBase(), []);
    assert.deepEqual(result.state, first.state);
  });

  it("previews with the engine's unknowns: an input computed from a resource still to be created", async () => {
    const result = await run(
      { ...base, x: { value: "new" }, y: { value: "", valueFromIdOf: "x" } },
      { state: first.state, mode: "preview" },
    );

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 2, update: 0, same: 2, replace: 0, delete: 0, read: 0 });
    assert.ok(result.logs.some((line) => line.message === "check saw an unknown value for y"));
    assert.ok(!result.logs.some((line) => line.message === "check saw an unknown value for x"));
  });

  it("refreshes: reports drift, records the live values, and drops resources that are gone", async () => {
    const drifted = ledger();
    drifted.entries.a = "changed behind our back";
    delete drifted.entries.b;
    writeFileSync(ledgerFile, JSON.stringify(drifted));

    const result = await run({}, { state: first.state, mode: "refresh" });

    assert.deepEqual(result.errors, []);
    const byName = Object.fromEntries(result.steps.map((step) => [step.name, step]));
    assert.deepEqual(byName.a.changedKeys, ["value"]);
    assert.equal(byName.b.gone, true);
    const entries = result.state.resources.filter((resource) => resource.type === entryType);
    assert.deepEqual(
      entries.map((resource) => [resource.id, resource.outputs.value]),
      [["a", "changed behind our back"]],
    );
  });

  it("refreshes before running the program with refresh: true, so the same run repairs the drift", async () => {
    const drifted = ledger();
    drifted.entries.a = "changed behind our back";
    writeFileSync(ledgerFile, JSON.stringify(drifted));

    const result = await run(base, { state: first.state, refresh: true });

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 0, update: 1, same: 1, replace: 0, delete: 0, read: 2 });
    assert.deepEqual(callsSinceBase(), ["update a"]);
    assert.equal(ledger().entries.a, "1");
  });

  it("destroys every resource and leaves an empty checkpoint", async () => {
    const result = await run({}, { state: first.state, mode: "destroy" });

    assert.deepEqual(result.errors, []);
    assert.equal(result.counts.delete, 2);
    assert.deepEqual(ledger().entries, {});
    assert.deepEqual(result.state.resources, []);
  });

  it("fails on check failures before any write, cancels the program, and keeps the old checkpoint", async () => {
    const result = await run(
      { a: { value: "invalid" }, c: { value: "3" } },
      { state: first.state, parallel: 1 },
    );

    assert.equal(result.ok, false);
    assert.match(result.errors.join("\n"), /check failed: value: must not be 'invalid'/);
    assert.notEqual(result.exitCode, 0);
    assert.deepEqual(callsSinceBase(), []);
    assert.equal(result.state.resources.find((resource) => resource.id === "a")?.outputs.value, "1");
  });

  it("deletes nothing when the program fails, and keeps the resources created before the failure", async () => {
    const result = await run(
      { c: { value: "3" }, d: { value: "fail" } },
      { state: first.state, parallel: 1 },
    );

    assert.equal(result.ok, false);
    assert.match(result.errors.join("\n"), /cannot create d/);
    assert.deepEqual(callsSinceBase(), ["create c"]);
    assert.deepEqual(entryIds(result.state), ["a", "b", "c"]);
  });

  it("survives a provider host killed mid-run: the run fails, completed steps are kept, and a rerun converges", async () => {
    const many: Entries = Object.fromEntries(
      Array.from({ length: 12 }, (_, index) => [`e${index}`, { value: String(index) }]),
    );
    let created = 0;
    const stateFile = join(workDir, "state.json");
    const killed = startRun({
      projectDir,
      stateFile,
      parallel: 1,
      config: { "ledger:file": ledgerFile, "ledger:entries": many },
      onStep: (step) => {
        created += step.op === "create" && !step.error ? 1 : 0;
        if (created === 3) {
          void killed.killProviderHost();
        }
      },
    });
    const broken = await killed.result;

    assert.equal(broken.ok, false);
    const kept = entryIds(broken.state).length;
    assert.ok(kept >= 3 && kept < 12, `kept ${kept} resources`);

    const rerun = await run(many, { stateFile });

    assert.deepEqual(rerun.errors, []);
    assert.deepEqual(rerun.counts, {
      create: 12 - kept,
      update: 0,
      same: kept,
      replace: 0,
      delete: 0,
      read: 0,
    });
    assert.deepEqual(entryIds(rerun.state).length, 12);
  });

  it("rejects invalid options, naming every problem at once", () => {
    assert.throws(
      () => startRun({ projectDir: "", mode: "deploy" as never, parallel: 0, stack: "a b" }),
      (error: unknown) =>
        error instanceof EngineError &&
        ["projectDir", "mode", "parallel", "stack"].every((word) => error.message.includes(word)),
    );
  });
});
