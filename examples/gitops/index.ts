// The fleet in Git: fleet.yaml is the desired state, reviewed in pull requests and applied from main.
import * as path from "node:path";
import { PlumeLocationService, loadFleet, summarizeFleet } from "pulumi-plume";

const fleet = loadFleet(path.join(__dirname, "fleet.yaml"), { fileName: "fleet.yaml" });

for (const entry of fleet.entries) {
  new PlumeLocationService(entry.name, {
    customerId: entry.customerId,
    locationId: entry.locationId,
    serviceId: entry.serviceId,
    profile: entry.profile,
  });
}

export const summary = summarizeFleet(fleet.entries);
