// diff: no API call; compares the desired inputs with the old outputs.
import assert from "node:assert/strict";
import { diffLocationService } from "../../provider/core/diff";
import { UNKNOWN_VALUE } from "../../provider/core/schema";

const outputs = {
  customerId: "c1",
  locationId: "l1",
  serviceId: "SVC-1",
  profile: "auto",
  locationName: "Home",
  createdAt: "2024-01-01T00:00:00.000Z",
};
const inputs = { customerId: "c1", locationId: "l1", serviceId: "SVC-1", profile: "auto" };

describe("diff of PlumeLocationService", function () {
  const cases: {
    name: string;
    news: Record<string, unknown>;
    olds?: Record<string, unknown>;
    changes: boolean;
    replaces: string[];
  }[] = [
    {
      name: "reports no change when the inputs match the outputs",
      news: inputs,
      changes: false,
      replaces: [],
    },
    {
      name: "treats a left-out profile as auto",
      news: { ...inputs, profile: undefined },
      changes: false,
      replaces: [],
    },
    {
      name: "updates a new serviceId in place",
      news: { ...inputs, serviceId: "SVC-2" },
      changes: true,
      replaces: [],
    },
    {
      name: "updates a new profile in place",
      news: { ...inputs, profile: "smallbusiness" },
      changes: true,
      replaces: [],
    },
    {
      name: "updates when Plume drifted from the inputs (outputs from a refresh)",
      news: inputs,
      olds: { ...outputs, serviceId: "changed-in-plume" },
      changes: true,
      replaces: [],
    },
    {
      name: "replaces on a new locationId",
      news: { ...inputs, locationId: "l2" },
      changes: true,
      replaces: ["locationId"],
    },
    {
      name: "replaces on a new customerId",
      news: { ...inputs, customerId: "c2" },
      changes: true,
      replaces: ["customerId"],
    },
    {
      name: "counts an unknown serviceId as a change",
      news: { ...inputs, serviceId: UNKNOWN_VALUE },
      changes: true,
      replaces: [],
    },
    {
      name: "counts an unknown profile as a change",
      news: { ...inputs, profile: UNKNOWN_VALUE },
      changes: true,
      replaces: [],
    },
    {
      name: "counts an unknown locationId as a replacement",
      news: { ...inputs, locationId: UNKNOWN_VALUE },
      changes: true,
      replaces: ["locationId"],
    },
    {
      name: "ignores outputs that are not inputs",
      news: inputs,
      olds: { ...outputs, locationName: "Renamed in the app" },
      changes: false,
      replaces: [],
    },
  ];
  for (const { name, news, olds, changes, replaces } of cases) {
    it(name, function () {
      const result = diffLocationService(olds ?? outputs, news);
      assert.equal(result.changes, changes);
      assert.deepEqual(result.replaces, replaces);
      assert.equal(result.deleteBeforeReplace, replaces.length > 0);
    });
  }
});
