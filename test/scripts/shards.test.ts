import assert from "node:assert/strict";
import { parseShardsArgs, shardStackName } from "../../scripts/shards";

describe("npm run shards", () => {
  it("names shard stacks <prefix>-00 … with at least two digits, more when the count needs them", () => {
    assert.equal(shardStackName("dev", 0, 4), "dev-00");
    assert.equal(shardStackName("fleet", 3, 8), "fleet-03");
    assert.equal(shardStackName("fleet", 7, 120), "fleet-007");
  });

  it("reads the command, the number of shards, how many stacks run at once and the stack prefix", () => {
    assert.deepEqual(
      parseShardsArgs(["up", "--shards", "4", "--parallel-stacks", "3", "--stack-prefix", "eu"]),
      {
        command: "up",
        shards: 4,
        parallelStacks: 3,
        stackPrefix: "eu",
      },
    );
    assert.deepEqual(parseShardsArgs(["--shards", "2", "preview"]), {
      command: "preview",
      shards: 2,
      parallelStacks: 2,
      stackPrefix: "dev",
    });
  });

  for (const [argv, problem] of [
    [
      ["--shards", "4"],
      /Which command\? Usage: npm run shards -- <up\|preview\|refresh\|destroy> --shards <n>/,
    ],
    [["deploy", "--shards", "4"], /Which command\?/],
    [["up"], /--shards must be a whole number from 1; got ""/],
    [["up", "--shards", "0"], /--shards must be a whole number from 1; got "0"/],
    [
      ["up", "--shards", "20000"],
      /--shards 20000: Invalid shard "0\/20000": the count must be a whole number from 1 to 10,000/,
    ],
    [
      ["up", "--shards", "4", "--parallel-stacks", "two"],
      /--parallel-stacks must be a whole number from 1; got "two"/,
    ],
  ] as const) {
    it(`refuses ${JSON.stringify(argv.join(" "))}, saying what to write`, () => {
      assert.throws(() => parseShardsArgs(argv), problem);
    });
  }
});
