import type { LocationProfile } from "./rules";
import type { FleetEntry } from "./validate";

/** Counts of a fleet's locations, as the root program exports them. */
export interface FleetSummary {
  /** Number of locations. */
  total: number;
  /** Number of locations per profile (`auto` = HomePass, `smallbusiness` = WorkPass). */
  byProfile: Record<LocationProfile, number>;
  /** Number of distinct customers. */
  customers: number;
}

/** Counts a fleet's locations per profile and its customers. */
export function summarizeFleet(entries: readonly FleetEntry[]): FleetSummary {
  const byProfile: Record<LocationProfile, number> = { auto: 0, smallbusiness: 0 };
  for (const entry of entries) byProfile[entry.profile]++;
  return {
    total: entries.length,
    byProfile,
    customers: new Set(entries.map((entry) => entry.customerId)).size,
  };
}
