import type { FleetProblem } from "./fleetValidationError";
import { locationResourceName } from "./naming";
import type { FleetField, RawFleet } from "./rawEntry";
import { type LocationProfile, idProblem, parseProfile, quote, serviceIdProblem } from "./rules";

/** One validated location of a fleet: what `PlumeLocationService` needs, plus where it came from. */
export interface FleetEntry {
  /** The stable resource name, from the two ids only (see {@link locationResourceName}). */
  name: string;
  /** Plume customer id. */
  customerId: string;
  /** Plume location id. */
  locationId: string;
  /** The ISP's service id for the location. */
  serviceId: string;
  /** `auto` (HomePass) or `smallbusiness` (WorkPass). @default "auto" */
  profile: LocationProfile;
  /** 1-based line of the entry in its file. */
  line: number;
}

/**
 * Applies the field rules to every entry a format parser read, and rejects locations listed twice.
 * Returns the valid entries and every problem found; the caller decides that one problem voids the file.
 */
export function validateEntries(
  file: string,
  raw: RawFleet,
): { entries: FleetEntry[]; problems: FleetProblem[] } {
  const problems = [...raw.problems];
  const entries: FleetEntry[] = [];
  const firstLineOfLocation = new Map<string, number>();

  for (const entry of raw.entries) {
    const report = (field: string, message: string, line = entry.line) => {
      problems.push({ file, line, field, message });
    };
    const readText = (field: FleetField, required: boolean): string | undefined => {
      const rawField = entry.fields[field];
      if (rawField === undefined) {
        if (required) report(entry.path === "" ? field : `${entry.path}.${field}`, "is required");
        return undefined;
      }
      if (rawField.text === undefined) {
        report(rawField.field, rawField.problem ?? "must be text", rawField.line);
      }
      return rawField.text;
    };
    const checked = (field: FleetField, rule: (value: string) => string | undefined): string | undefined => {
      const text = readText(field, true);
      if (text === undefined) return undefined;
      const problem = rule(text);
      if (problem === undefined) return text;
      const rawField = entry.fields[field];
      if (rawField !== undefined) report(rawField.field, problem, rawField.line);
      return undefined;
    };

    const customerId = checked("customerId", idProblem);
    const locationId = checked("locationId", idProblem);
    const serviceId = checked("serviceId", serviceIdProblem);
    let profile: LocationProfile | undefined = "auto";
    const profileText = readText("profile", false);
    const profileField = entry.fields.profile;
    if (profileField !== undefined) {
      if (profileText === undefined) {
        profile = undefined;
      } else {
        const parsed = parseProfile(profileText);
        if ("problem" in parsed) {
          report(profileField.field, parsed.problem, profileField.line);
          profile = undefined;
        } else {
          profile = parsed.profile;
        }
      }
    }

    if (customerId === undefined || locationId === undefined) continue;
    const locationKey = `${customerId}\u0000${locationId}`;
    const firstLine = firstLineOfLocation.get(locationKey);
    if (firstLine !== undefined) {
      report(
        entry.path,
        `location ${quote(customerId)}/${quote(locationId)} is listed twice (lines ${firstLine} and ${entry.line}); ` +
          "keep one entry per location",
      );
      continue;
    }
    firstLineOfLocation.set(locationKey, entry.line);
    if (serviceId === undefined || profile === undefined) continue;
    entries.push({
      name: locationResourceName(customerId, locationId),
      customerId,
      locationId,
      serviceId,
      profile,
      line: entry.line,
    });
  }

  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { entries, problems };
}
