import { LOCATION_PROFILES, type LocationProfile } from "../client";
import { quoteForMessage } from "../client/quote";
import { idProblem, serviceIdProblem } from "../fleet";
import type { ExportedEntry } from "./fleetWriter";
import type { CustomerListing } from "./readCustomers";

/** A location Plume lists that no fleet entry can describe, and why. */
export interface LeftOutLocation {
  customerId: string;
  locationId: string;
  reason: string;
}

/** What Plume's listings make of a fleet file. */
export interface ExportedFleet {
  /** One entry per location that has a serviceId, in the customers' order and Plume's order within each. */
  entries: ExportedEntry[];
  /** Locations without a serviceId: not managed yet, so not written (a serviceId is never invented). */
  withoutServiceId: { customerId: string; locationId: string; profile: string }[];
  /** Locations whose values a fleet file cannot hold (an id or serviceId the rules refuse, another profile). */
  leftOut: LeftOutLocation[];
  /** Customers Plume would not list for these credentials, with Plume's answer. */
  unreadable: { customerId: string; message: string }[];
}

/**
 * Turns the customers' listings into fleet entries: the four fields only, the profile `auto` when Plume
 * names none. Each location is filed under the customer whose listing holds it: that is the path a
 * `pulumi up` addresses. Nothing is guessed: a location that cannot be written as it is goes to a list.
 */
export function exportedFleet(listings: readonly CustomerListing[]): ExportedFleet {
  const fleet: ExportedFleet = { entries: [], withoutServiceId: [], leftOut: [], unreadable: [] };
  for (const listing of listings) {
    const customerId = listing.customerId;
    if ("error" in listing) {
      fleet.unreadable.push({ customerId, message: listing.error.message });
      continue;
    }
    for (const location of listing.locations) {
      const locationId = location.id;
      const profile = location.profile ?? "auto";
      const reason = refusal(locationId, location.serviceId, profile);
      if (location.serviceId === undefined || location.serviceId === "") {
        fleet.withoutServiceId.push({ customerId, locationId, profile });
      } else if (reason !== undefined) {
        fleet.leftOut.push({ customerId, locationId, reason });
      } else {
        fleet.entries.push({
          customerId,
          locationId,
          serviceId: location.serviceId,
          profile: profile as LocationProfile,
        });
      }
    }
  }
  return fleet;
}

function refusal(locationId: string, serviceId: string | undefined, profile: string): string | undefined {
  const idTrouble = idProblem(locationId);
  if (idTrouble !== undefined) return `its locationId ${idTrouble}`;
  const serviceTrouble = serviceId ? serviceIdProblem(serviceId) : undefined;
  if (serviceTrouble !== undefined) return `its serviceId ${serviceTrouble}`;
  if (!(LOCATION_PROFILES as readonly string[]).includes(profile)) {
    return `its profile ${quoteForMessage(profile)} is neither auto (HomePass) nor smallbusiness (WorkPass)`;
  }
  return undefined;
}
