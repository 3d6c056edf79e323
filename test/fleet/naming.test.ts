import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { locationResourceName, parseLocationResourceName } from "../../provider/fleet";

const ALPHABET = ["a", "Z", "0", "-", "_", "loc", ".", "é", "😀", "%2F", " ", "_2d"];

function randomId(): string {
  let id = "";
  const length = randomInt(1, 6);
  for (let index = 0; index < length; index++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

describe("location resource names", () => {
  it("keep plain hex ids readable", () => {
    assert.equal(
      locationResourceName("5f3a1b2c3d4e5f6a7b8c9d0e", "60aa11bb22cc33dd44ee55ff"),
      "loc-5f3a1b2c3d4e5f6a7b8c9d0e-60aa11bb22cc33dd44ee55ff",
    );
  });

  for (const [first, second] of [
    [
      ["a-b", "c"],
      ["a", "b-c"],
    ],
    [
      ["a_2db", "c"],
      ["a-b", "c"],
    ],
    [
      ["A", "b"],
      ["a", "b"],
    ],
    [
      ["a", "b_"],
      ["a_", "b"],
    ],
  ] as const) {
    it(`tell ${JSON.stringify(first)} and ${JSON.stringify(second)} apart`, () => {
      assert.notEqual(locationResourceName(first[0], first[1]), locationResourceName(second[0], second[1]));
    });
  }

  it("never give two different id pairs the same name (20,000 random pairs of tricky ids)", () => {
    const pairOfName = new Map<string, string>();
    for (let round = 0; round < 20_000; round++) {
      const customerId = randomId();
      const locationId = randomId();
      const pair = JSON.stringify([customerId, locationId]);
      const name = locationResourceName(customerId, locationId);
      const earlier = pairOfName.get(name);
      assert.ok(earlier === undefined || earlier === pair, `${earlier} and ${pair} both map to ${name}`);
      pairOfName.set(name, pair);
      assert.match(name, /^loc-[A-Za-z0-9_]+-[A-Za-z0-9_]+$/);
      assert.deepEqual(parseLocationResourceName(name), { customerId, locationId });
    }
  });

  it("decode back to their ids, which proves the encoding loses nothing", () => {
    assert.deepEqual(parseLocationResourceName(locationResourceName("cust 1/é", "x-y")), {
      customerId: "cust 1/é",
      locationId: "x-y",
    });
    for (const name of ["loc-a", "loc-a_zz-b", "loc-a_41-b", "bucket-a-b"]) {
      assert.equal(parseLocationResourceName(name), undefined, name);
    }
  });
});
