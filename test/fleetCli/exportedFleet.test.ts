import assert from "node:assert/strict";
import { exportedFleet } from "../../provider/cli/exportedFleet";

describe("what plume-fleet export makes of Plume's listings", () => {
  it("leaves out a location on a profile no fleet file can hold (property), quoting it", () => {
    const fleet = exportedFleet([
      {
        customerId: "c1",
        locations: [
          { id: "l1", serviceId: "S-1", profile: "property" },
          { id: "l2", serviceId: "S-2" },
          { id: "l3", serviceId: "S-3", profile: "smallbusiness" },
        ],
      },
    ]);
    assert.deepEqual(fleet.leftOut, [
      {
        customerId: "c1",
        locationId: "l1",
        reason: 'its profile "property" is neither auto (HomePass) nor smallbusiness (WorkPass)',
      },
    ]);
    assert.deepEqual(
      fleet.entries.map((entry) => [entry.locationId, entry.profile]),
      [
        ["l2", "auto"],
        ["l3", "smallbusiness"],
      ],
    );
  });
});
