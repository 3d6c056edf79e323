import assert from "node:assert/strict";
import { parseFleet } from "../../provider/fleet";
import { formatFleet, type ExportedEntry } from "../../provider/cli/fleetWriter";

describe("the fleet files plume-fleet export writes", () => {
  // serviceIds as CRMs write them: separators, quotes, YAML and JSON syntax, numbers, non-ASCII text.
  const tricky: ExportedEntry[] = [
    "HSI-1, unit 2",
    'BIZ "gold"',
    "# not a comment",
    "key: value",
    "00123",
    "1e3",
    "yes",
    "null",
    "[1]",
    "Zürich — 東京",
    "- dash",
    "line 'quoted'",
  ].map((serviceId, index) => ({
    customerId: `0${index}`,
    locationId: index % 2 === 0 ? "1.50" : "a_b-c",
    serviceId,
    profile: index % 3 === 0 ? "smallbusiness" : "auto",
  }));

  for (const format of ["yaml", "csv", "json"] as const) {
    it(`reads back every value exactly, in file order, from ${format}`, () => {
      const fleet = parseFleet(formatFleet(tricky, format), { format });

      assert.deepEqual(
        fleet.entries.map(({ customerId, locationId, serviceId, profile }) => ({
          customerId,
          locationId,
          serviceId,
          profile,
        })),
        tricky,
      );
    });
  }

  it("writes an empty fleet that the loader accepts in YAML and JSON (export refuses to write one)", () => {
    for (const format of ["yaml", "json"] as const) {
      assert.deepEqual(parseFleet(formatFleet([], format), { format }).entries, []);
    }
  });
});
