import assert from "node:assert/strict";
import { join, resolve } from "node:path";

import { programLocation } from "../support/engine/languageHost";
import { aliasUrns, parseUrn, resourceUrn } from "../support/engine/urn";

// The pure rules the test engine copies from the Pulumi engine: URNs, aliases, where a program runs.

const stackUrn = "urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev";
const componentUrn = "urn:pulumi:dev::proj::my:index:Group::g";

describe("the test engine's URNs", () => {
  for (const { parent, expected, label } of [
    { label: "a child of the stack", parent: stackUrn, expected: "urn:pulumi:dev::proj::t:m:R::r" },
    { label: "a resource without a parent", parent: "", expected: "urn:pulumi:dev::proj::t:m:R::r" },
    {
      label: "a child of a component",
      parent: componentUrn,
      expected: "urn:pulumi:dev::proj::my:index:Group$t:m:R::r",
    },
  ]) {
    it(`leaves the stack's type out of a URN but keeps a component's: ${label}`, () => {
      assert.equal(resourceUrn("dev", "proj", "t:m:R", "r", parent), expected);
    });
  }

  it("splits a URN whose name contains '::' back into its parts", () => {
    assert.deepEqual(parseUrn("urn:pulumi:dev::proj::t:m:R::a::b"), {
      stack: "dev",
      project: "proj",
      qualifiedType: "t:m:R",
      name: "a::b",
    });
  });

  it("resolves alias specs against the new resource, the parent included unless noParent says otherwise", () => {
    const resource = { stack: "dev", project: "proj", type: "t:m:R", name: "new", parentUrn: componentUrn };

    const urns = aliasUrns(resource, [
      { name: "old", noParent: false },
      { name: "old", noParent: true },
      { type: "t:m:Old", parentUrn: stackUrn, noParent: false },
    ]);

    assert.deepEqual(urns, [
      "urn:pulumi:dev::proj::my:index:Group$t:m:R::old",
      "urn:pulumi:dev::proj::t:m:R::old",
      "urn:pulumi:dev::proj::t:m:Old::new",
    ]);
  });
});

describe("where the test engine runs a program", () => {
  const repoRoot = resolve(__dirname, "..", "..");

  for (const { main, pwd, entry } of [
    { main: ".", pwd: repoRoot, entry: "." },
    { main: "program/index.ts", pwd: join(repoRoot, "program"), entry: "index.ts" },
    { main: "program", pwd: join(repoRoot, "program"), entry: "." },
  ]) {
    it(`runs main ${JSON.stringify(main)} in ${pwd.slice(repoRoot.length) || "the project root"}, as the CLI does`, () => {
      assert.deepEqual(programLocation(repoRoot, main), { pwd, main: entry });
    });
  }

  it("names a main that does not exist", () => {
    assert.throws(() => programLocation(repoRoot, "nowhere/index.ts"), /nowhere\/index\.ts does not exist/);
  });
});
