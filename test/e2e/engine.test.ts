import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  EngineError,
  runProgram,
  startRun,
  type RunProgramOptions,
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

type Entries = Record<string, { key?: string; value: string; aliasOf?: string; deleteFirst?: boolean }>;

describe("the test engine", function () {
  this.timeout(60_000);
  let workDir: string;
  let ledgerFile: string;

  beforeEach(() => {
    workDir = mkdtempSync(join(tmpdir(), "plume-engine-"));
    ledgerFile = join(workDir, "ledger.json");
  });

  afterEach(() => rmSync(workDir, { recursive: true, force: true }));

  function ledger(): Ledger {
    return existsSync(ledgerFile)
      ? (JSON.parse(readFileSync(ledgerFile, "utf8")) as Ledger)
      : { entries: {}, journal: [] };
  }

  function run(entries: Entries, options: Partial<RunProgramOptions> = {}) {
    return runProgram({
      projectDir,
      config: { "ledger:file": ledgerFile, "ledger:entries": entries },
      ...options,
    });
  }

  async function deployed(entries: Entries): Promise<StackState> {
    const result = await run(entries);
    assert.deepEqual(result.errors, []);
    return result.state;
  }

  it("creates every declared resource through the real provider host and checkpoints it as the engine does", async () => {
    const result = await run({ a: { value: "1" }, b: { value: "2" } });

    assert.deepEqual(result.errors, []);
    assert.equal(result.ok, true);
    assert.deepEqual(result.counts, { create: 2, update: 0, same: 0, replace: 0, delete: 0, read: 0 });
    assert.deepEqual(ledger().entries, { a: "1", b: "2" });
    assert.deepEqual(result.outputs, { values: ["1", "2"] });
    assert.ok(result.logs.some((line) => line.severity === "info" && line.message === "declared 2 entries"));
    const types = result.state.resources.map((resource) => resource.type);
    assert.deepEqual(types, ["pulumi:pulumi:Stack", "pulumi:providers:pulumi-nodejs", entryType, entryType]);
    const entry = result.state.resources[2];
    assert.equal(entry.urn, `urn:pulumi:dev::ledger::${entryType}::a`);
    assert.equal(entry.id, "a");
    assert.equal(entry.parent, "urn:pulumi:dev::ledger::pulumi:pulumi:Stack::ledger-dev");
    assert.match(String(entry.inputs.__provider), /exports\.handler/);
    assert.equal(entry.outputs.__provider, entry.inputs.__provider);
    assert.equal(entry.provider, `${result.state.resources[1].urn}::${result.state.resources[1].id}`);
  });

  it("leaves unchanged resources alone on the next run, without a single provider write", async () => {
    const state = await deployed({ a: { value: "1" }, b: { value: "2" } });
    const writesBefore = ledger().journal.length;

    const result = await run({ a: { value: "1" }, b: { value: "2" } }, { state });

    assert.deepEqual(result.counts, { create: 0, update: 0, same: 2, replace: 0, delete: 0, read: 0 });
    assert.equal(ledger().journal.length, writesBefore);
    assert.deepEqual(result.state, state);
  });

  it("updates changed resources and deletes undeclared ones only after every create and update", async () => {
    const state = await deployed({ a: { value: "1" }, b: { value: "2" } });

    const result = await run({ a: { value: "1b" }, c: { value: "3" } }, { state });

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 1, update: 1, same: 0, replace: 0, delete: 1, read: 0 });
    assert.deepEqual(result.steps.find((step) => step.op === "update")?.changedKeys, ["value"]);
    const calls = ledger()
      .journal.slice(2)
      .map((call) => `${call.op} ${call.key}`);
    assert.deepEqual([...calls.slice(0, 2)].sort(), ["create c", "update a"]);
    assert.deepEqual(calls.slice(2), ["delete b"]);
    assert.deepEqual(ledger().entries, { a: "1b", c: "3" });
    const ids = result.state.resources.filter((resource) => resource.type === entryType).map((r) => r.id);
    assert.deepEqual(ids.sort(), ["a", "c"]);
  });

  for (const { deleteFirst, order } of [
    { deleteFirst: false, order: ["create k2", "delete k1"] },
    { deleteFirst: true, order: ["delete k1", "create k2"] },
  ]) {
    it(`replaces a resource ${deleteFirst ? "deleting first when the provider asks" : "creating the new one first"}`, async () => {
      const state = await deployed({ a: { key: "k1", value: "1" } });

      const result = await run({ a: { key: "k2", value: "1", deleteFirst } }, { state });

      assert.deepEqual(result.errors, []);
      assert.equal(result.counts.replace, 1);
      assert.deepEqual(
        ledger()
          .journal.slice(1)
          .map((call) => `${call.op} ${call.key}`),
        order,
      );
      assert.deepEqual(
        result.state.resources.filter((resource) => resource.type === entryType).map((r) => r.id),
        ["k2"],
      );
    });
  }

  it("follows an alias: a renamed resource is the same resource, neither created nor deleted", async () => {
    const state = await deployed({ old: { key: "k", value: "1" } });

    const result = await run({ renamed: { key: "k", value: "1", aliasOf: "old" } }, { state });

    assert.deepEqual(result.counts, { create: 0, update: 0, same: 1, replace: 0, delete: 0, read: 0 });
    assert.equal(ledger().journal.length, 1);
    assert.deepEqual(
      result.state.resources.filter((resource) => resource.type === entryType).map((r) => r.urn),
      [`urn:pulumi:dev::ledger::${entryType}::renamed`],
    );
  });

  it("previews the plan without writing anything or changing the checkpoint", async () => {
    const state = await deployed({ a: { value: "1" }, b: { value: "2" } });

    const result = await run({ a: { value: "1b" }, c: { value: "3" } }, { state, mode: "preview" });

    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.counts, { create: 1, update: 1, same: 0, replace: 0, delete: 1, read: 0 });
    assert.equal(ledger().journal.length, 2);
    assert.deepEqual(result.state, state);
  });

  it("refreshes: reports drift, records the live values, and drops resources that are gone", async () => {
    const state = await deployed({ a: { value: "1" }, b: { value: "2" } });
    const drifted = ledger();
    drifted.entries.a = "changed behind our back";
    delete drifted.entries.b;
    writeFileSync(ledgerFile, JSON.stringify(drifted));

    const result = await run({}, { state, mode: "refresh" });

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

  it("destroys every resource and leaves an empty checkpoint", async () => {
    const state = await deployed({ a: { value: "1" }, b: { value: "2" } });

    const result = await run({}, { state, mode: "destroy" });

    assert.deepEqual(result.errors, []);
    assert.equal(result.counts.delete, 2);
    assert.deepEqual(ledger().entries, {});
    assert.deepEqual(result.state.resources, []);
  });

  it("fails on check failures before any write, and keeps the old checkpoint", async () => {
    const state = await deployed({ a: { value: "1" } });

    const result = await run({ a: { value: "invalid" }, b: { value: "2" } }, { state, parallel: 1 });

    assert.equal(result.ok, false);
    assert.match(result.errors.join("\n"), /check failed: value: must not be 'invalid'/);
    assert.notEqual(result.exitCode, 0);
    assert.equal(ledger().entries.a, "1");
    assert.deepEqual(result.state.resources.find((resource) => resource.id === "a")?.outputs.value, "1");
  });

  it("does not delete anything when the program fails, and keeps the resources created before the failure", async () => {
    const state = await deployed({ a: { value: "1" } });

    const result = await run({ b: { value: "2" }, c: { value: "fail" } }, { state, parallel: 1 });

    assert.equal(result.ok, false);
    assert.match(result.errors.join("\n"), /cannot create c/);
    assert.equal(ledger().entries.a, "1");
    const ids = result.state.resources.filter((resource) => resource.type === entryType).map((r) => r.id);
    assert.ok(ids.includes("a"), "the undeclared resource stays in the checkpoint");
  });

  it("survives a provider host killed mid-run: the run fails, completed steps are kept, and a rerun converges", async () => {
    const entries: Entries = Object.fromEntries(
      Array.from({ length: 12 }, (_, index) => [`e${index}`, { value: String(index) }]),
    );
    let created = 0;
    const stateFile = join(workDir, "state.json");
    const firstRun = startRun({
      projectDir,
      stateFile,
      parallel: 1,
      config: { "ledger:file": ledgerFile, "ledger:entries": entries },
      onStep: (step) => {
        created += step.op === "create" && !step.error ? 1 : 0;
        if (created === 3) {
          void firstRun.killProviderHost();
        }
      },
    });
    const first = await firstRun.result;

    assert.equal(first.ok, false);
    const kept = first.state.resources.filter((resource) => resource.type === entryType).length;
    assert.ok(kept >= 3 && kept < 12, `kept ${kept} resources`);

    const second = await run(entries, { stateFile });

    assert.deepEqual(second.errors, []);
    assert.equal(second.counts.create + second.counts.same, 12);
    assert.equal(second.counts.same, kept);
    assert.equal(Object.keys(ledger().entries).length, 12);
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
