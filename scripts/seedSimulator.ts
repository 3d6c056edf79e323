// Makes the simulator hold every location of the fleet, as real Plume would before Pulumi manages them.
import type { FleetEntry } from "../provider/fleet";
import type { SeedData, SimulatorState } from "../simulator";

/**
 * Adds to the simulator every fleet location it does not have yet, as a freshly onboarded location: no
 * serviceId, profile `auto`. Locations it has already are left exactly as they are (drift included).
 * @returns how many locations were added
 */
export function seedMissingLocations(state: SimulatorState, entries: readonly FleetEntry[]): number {
  const missing = entries.filter(
    (entry) => state.getLocation(entry.customerId, entry.locationId) === undefined,
  );
  if (missing.length === 0) return 0;
  const byCustomer = new Map<string, FleetEntry[]>();
  for (const entry of missing) {
    byCustomer.set(entry.customerId, [...(byCustomer.get(entry.customerId) ?? []), entry]);
  }
  const seed: SeedData = {
    customers: [...byCustomer].map(([customerId, locations]) => ({
      id: customerId,
      locations: locations.map((entry, index) => ({
        id: entry.locationId,
        name: index === 0 ? "Home" : `Location ${index + 1}`,
        profile: "auto",
      })),
    })),
  };
  state.seed(seed);
  return missing.length;
}
