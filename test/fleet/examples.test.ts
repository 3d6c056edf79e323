import assert from "node:assert/strict";
import { join } from "node:path";
import { loadFleet } from "../../provider/fleet";

const examples = join(__dirname, "..", "..", "examples");

describe("the examples' fleet files", () => {
  it("the CRM export sample loads, quoted addresses with commas, quotes and line breaks included", () => {
    const fleet = loadFleet(join(examples, "crm-csv", "customers.csv"));
    assert.deepEqual(
      fleet.entries.map((entry) => [entry.line, entry.serviceId, entry.profile]),
      [
        [2, "HSI-100207", "auto"],
        [3, "BIZ-100242", "smallbusiness"],
        [4, "BIZ-100256-1", "smallbusiness"],
        [5, "BIZ-100263-2", "smallbusiness"],
        [6, "HSI-100221-1", "auto"],
        [7, "HSI-100228-2", "auto"],
      ],
    );
  });

  it("the GitOps fleet.yaml loads", () => {
    assert.equal(loadFleet(join(examples, "gitops", "fleet.yaml")).entries.length, 2);
  });
});
