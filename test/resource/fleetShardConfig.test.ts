import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { configuredFleetShard } from "../../provider";

describe("configuredFleetShard", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("is undefined when fleet:shard is not set: the stack manages the whole fleet", () => {
    pulumi.runtime.setAllConfig({});
    assert.equal(configuredFleetShard(), undefined);
  });

  it("reads the shard fleet:shard names", () => {
    pulumi.runtime.setAllConfig({ "fleet:shard": "3/8" });
    assert.deepEqual(configuredFleetShard(), { index: 3, count: 8 });
  });

  it("stops the program with a RunError naming fleet:shard and what to write when it is malformed", () => {
    pulumi.runtime.setAllConfig({ "fleet:shard": "8/8" });
    assert.throws(
      () => configuredFleetShard(),
      (error: Error) =>
        error instanceof pulumi.RunError &&
        /^fleet:shard: Invalid shard "8\/8"/.test(error.message) &&
        /pulumi config set fleet:shard 3\/8/.test(error.message),
    );
  });
});
