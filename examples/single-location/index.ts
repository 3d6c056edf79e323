// One location, driven entirely by stack config: `pulumi config set customerId ...` and friends.
import * as pulumi from "@pulumi/pulumi";
import { PlumeLocationService, locationResourceName } from "pulumi-plume";

const config = new pulumi.Config();
const customerId = config.require("customerId");
const locationId = config.require("locationId");

// Named from the ids, the way the fleet loader names it: moving this location into a fleet file later
// keeps the same resource instead of replacing it.
const location = new PlumeLocationService(locationResourceName(customerId, locationId), {
  customerId,
  locationId,
  serviceId: config.require("serviceId"),
  profile: config.get("profile", { allowedValues: ["auto", "smallbusiness"] as const }) ?? "auto",
});

export const serviceId = location.serviceId;
export const profile = location.profile;
export const locationName = location.locationName;
