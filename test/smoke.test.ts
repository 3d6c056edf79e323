import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";

describe("the toolchain", () => {
  it("loads @pulumi/pulumi under ts-node", () => {
    assert.equal(typeof pulumi.dynamic.Resource, "function");
  });
});
