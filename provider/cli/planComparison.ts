import type { FleetEntry } from "../fleet";
import type { CustomerListing, ListedLocation } from "./readCustomers";

/** A field whose value in Plume differs from the fleet file's. */
export interface FieldChange {
  field: "serviceId" | "profile";
  /** The value in Plume now; `null` when Plume has none. */
  from: string | null;
  /** The value the fleet file declares: what `pulumi up` would set. */
  to: string;
}

/** What `pulumi up` would do to one location of the fleet file, as Plume is now. */
export type PlanStatus = "unchanged" | "change" | "missing" | "unreadable";

/** One fleet entry compared with Plume. */
export interface PlannedLocation {
  customerId: string;
  locationId: string;
  /** Its line in the fleet file. */
  line: number;
  status: PlanStatus;
  /** For `change`: the fields that differ. */
  changes: FieldChange[];
  /** Why, for `missing` and `unreadable`. */
  detail?: string;
}

/** Counts of a plan, by status. */
export type PlanSummary = Record<PlanStatus, number>;

/**
 * Compares each fleet entry with its customer's listing. A location is `missing` when Plume's own list of
 * the customer's locations does not hold it (the same evidence the client requires before it calls a 404
 * "gone"); when another customer read in the same run lists it, the detail says which, since the entry's
 * customerId is then most likely wrong. A profile Plume leaves out is `auto`, as the provider reads it.
 */
export function compareWithPlume(
  entries: readonly FleetEntry[],
  listings: readonly CustomerListing[],
): PlannedLocation[] {
  const byCustomer = new Map(listings.map((listing) => [listing.customerId, listing]));
  const listedUnder = new Map<string, string[]>();
  const locationsOf = new Map<string, Map<string, ListedLocation>>();
  for (const listing of listings) {
    if ("error" in listing) continue;
    locationsOf.set(
      listing.customerId,
      new Map(listing.locations.map((location) => [location.id, location])),
    );
    for (const location of listing.locations) {
      listedUnder.set(location.id, [...(listedUnder.get(location.id) ?? []), listing.customerId]);
    }
  }
  return entries.map((entry) => {
    const planned = { customerId: entry.customerId, locationId: entry.locationId, line: entry.line };
    const listing = byCustomer.get(entry.customerId);
    if (listing === undefined || "error" in listing) {
      const reason = listing === undefined ? "not read" : listing.error.message.split("\n")[0];
      return { ...planned, status: "unreadable", changes: [], detail: `customer not readable: ${reason}` };
    }
    const location = locationsOf.get(entry.customerId)?.get(entry.locationId);
    if (location === undefined) {
      const elsewhere = (listedUnder.get(entry.locationId) ?? []).filter((id) => id !== entry.customerId);
      const detail =
        `Plume lists ${listing.locations.length} location${listing.locations.length === 1 ? "" : "s"} for ` +
        `customer ${entry.customerId}, not this one` +
        (elsewhere.length > 0 ? `; it is listed under customer ${elsewhere.join(", ")}` : "");
      return { ...planned, status: "missing", changes: [], detail };
    }
    const changes = fieldChanges(entry, location);
    return { ...planned, status: changes.length === 0 ? "unchanged" : "change", changes };
  });
}

function fieldChanges(entry: FleetEntry, location: ListedLocation): FieldChange[] {
  const changes: FieldChange[] = [];
  if (location.serviceId !== entry.serviceId) {
    changes.push({ field: "serviceId", from: location.serviceId ?? null, to: entry.serviceId });
  }
  const profile = location.profile ?? "auto";
  if (profile !== entry.profile) changes.push({ field: "profile", from: profile, to: entry.profile });
  return changes;
}

/** How many locations have each status. */
export function summarizePlan(planned: readonly PlannedLocation[]): PlanSummary {
  const summary: PlanSummary = { unchanged: 0, change: 0, missing: 0, unreadable: 0 };
  for (const location of planned) summary[location.status] += 1;
  return summary;
}
