import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  FleetShardError,
  formatFleetShard,
  parseFleetShard,
  selectShard,
  shardOf,
} from "../../provider/fleet";

const customers = (count: number, prefix = "cust") =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index.toString(16).padStart(6, "0")}`);

describe("shardOf", () => {
  it("is the first four bytes of the customerId's SHA-256, big-endian, modulo the count", () => {
    for (const customerId of ["5f3a1b2c3d4e5f6a7b8c9d0e", "acme", "é-ü"]) {
      const digest = createHash("sha256").update(customerId, "utf8").digest();
      assert.equal(shardOf(customerId, 8), digest.readUInt32BE(0) % 8);
    }
  });

  it("gives the same shard for the same customer every time", () => {
    for (const customerId of customers(100)) assert.equal(shardOf(customerId, 8), shardOf(customerId, 8));
  });

  it("always falls in 0 … count - 1", () => {
    for (const count of [1, 2, 3, 8, 97, 10_000]) {
      for (const customerId of customers(200)) {
        const shard = shardOf(customerId, count);
        assert.ok(Number.isInteger(shard) && shard >= 0 && shard < count, `${shard} of ${count}`);
      }
    }
  });

  it("spreads 10,000 customers over 8 shards within 10 % of an even split", () => {
    const sizes = new Array<number>(8).fill(0);
    for (const customerId of customers(10_000)) sizes[shardOf(customerId, 8)]++;
    for (const size of sizes) assert.ok(Math.abs(size - 1_250) <= 125, `shard sizes ${sizes.join(", ")}`);
  });

  it("refuses a count that is not a whole number from 1 to 10,000, saying what to write", () => {
    for (const count of [0, -1, 1.5, Number.NaN, 10_001]) {
      assert.throws(
        () => shardOf("acme", count),
        (error: Error) => {
          assert.ok(error instanceof FleetShardError);
          assert.match(error.message, /the count must be a whole number from 1 to 10,000/);
          assert.match(error.hint, /"<index>\/<count>"/);
          return true;
        },
      );
    }
  });
});

describe("selectShard", () => {
  // Three locations per customer, as a CRM export lists them.
  const fleetOf = (ids: string[]) =>
    ids.flatMap((customerId) => [1, 2, 3].map((n) => ({ customerId, locationId: `${customerId}-loc${n}` })));

  it("puts every location in exactly one of the shards", () => {
    const fleet = fleetOf(customers(500));
    const shards = [0, 1, 2, 3].map((index) => selectShard(fleet, { index, count: 4 }));
    const selected = shards.flat().map((entry) => entry.locationId);
    assert.equal(selected.length, fleet.length);
    assert.equal(new Set(selected).size, fleet.length);
  });

  it("keeps all locations of a customer in the same shard", () => {
    const fleet = fleetOf(customers(500));
    for (const index of [0, 1, 2, 3]) {
      for (const entry of selectShard(fleet, { index, count: 4 })) {
        assert.equal(shardOf(entry.customerId, 4), index);
      }
    }
  });

  it("never moves an existing location when customers are added to the fleet", () => {
    const before = fleetOf(customers(1_000));
    const after = [...fleetOf(customers(3_000, "new")), ...before].reverse();
    for (const index of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const shardAfter = new Set(selectShard(after, { index, count: 8 }).map((entry) => entry.locationId));
      for (const entry of selectShard(before, { index, count: 8 })) {
        assert.ok(shardAfter.has(entry.locationId), `${entry.locationId} left shard ${index}`);
      }
    }
  });

  it("keeps the fleet's order within a shard", () => {
    const fleet = fleetOf(customers(50));
    const shard = selectShard(fleet, { index: 1, count: 2 });
    assert.deepEqual(
      shard,
      fleet.filter((entry) => shard.includes(entry)),
    );
  });

  it("refuses an index outside 0 … count - 1, saying that it is 0-based", () => {
    for (const index of [-1, 4, 1.5]) {
      assert.throws(
        () => selectShard([], { index, count: 4 }),
        (error: Error) => {
          assert.ok(error instanceof FleetShardError);
          assert.equal(error.name, "FleetShardError");
          assert.match(error.message, /the index must be from 0 to 3 \(it is 0-based: "0\/4" is the first/);
          return true;
        },
      );
    }
  });
});

describe("parseFleetShard", () => {
  it("reads <index>/<count>, spaces around the parts allowed, and formats it back", () => {
    for (const [text, shard] of [
      ["3/8", { index: 3, count: 8 }],
      ["0/1", { index: 0, count: 1 }],
      [" 12 / 16 ", { index: 12, count: 16 }],
    ] as const) {
      assert.deepEqual(parseFleetShard(text), shard);
      assert.equal(formatFleetShard(parseFleetShard(text)), text.replace(/\s/g, ""));
    }
  });

  for (const [text, problem] of [
    ["3", /Invalid shard "3": not <index>\/<count>/],
    ["3 of 8", /not <index>\/<count>/],
    ["-1/8", /not <index>\/<count>/],
    ["", /not <index>\/<count>/],
    ["8/8", /Invalid shard "8\/8": the index must be from 0 to 7/],
    ["1/0", /the count must be a whole number from 1 to 10,000/],
    // A terminal escape, shown escaped and cut short.
    ["\u001b[2J".repeat(10), /Invalid shard "\\u001b\[2J.*… \(92 characters\): not <index>\/<count>/],
  ] as const) {
    it(`refuses ${JSON.stringify(text)} with a hint that shows an example`, () => {
      assert.throws(
        () => parseFleetShard(text),
        (error: Error) => {
          assert.ok(error instanceof FleetShardError);
          assert.match(error.message, problem);
          assert.match(error.message, /e\.g\. "3\/8" for the fourth of 8 stacks/);
          return true;
        },
      );
    });
  }
});
