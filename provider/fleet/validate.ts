import { quoteForMessage } from "../client/quote";
import type { FleetProblem } from "./fleetValidationError";
import { locationResourceName } from "./naming";
import type { FieldRefusal, FleetField, RawFleet } from "./rawEntry";
import { DEFAULT_ENTRY_PROFILE, type LocationProfile, fieldRefusal, parseProfile } from "./rules";

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

/** A field's value, or why it is not acceptable. */
type Checked<T> = { value: T } | { problem: FieldRefusal };

function ruleOf(field: "customerId" | "locationId" | "serviceId"): (text: string) => Checked<string> {
  return (text) => {
    const problem = fieldRefusal(field, text);
    return problem === undefined ? { value: text } : { problem };
  };
}

function profileRule(text: string): Checked<LocationProfile> {
  const parsed = parseProfile(text);
  return "problem" in parsed
    ? { problem: { code: "bad-profile", message: parsed.problem } }
    : { value: parsed.profile };
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
    const report = (line: number, path: string, { code, message }: FieldRefusal) => {
      problems.push({ code, path, message, file, line });
    };
    // The field's value when it passes `rule`; otherwise reports why and returns undefined.
    const read = <T>(field: FleetField, rule: (text: string) => Checked<T>): T | undefined => {
      const rawField = entry.fields[field];
      if (rawField === undefined) {
        const path = entry.path === "" ? field : `${entry.path}.${field}`;
        report(entry.line, path, { code: "required", message: "is required" });
        return undefined;
      }
      const notText = { code: "not-text", message: "must be text" };
      const result =
        rawField.text === undefined ? { problem: rawField.problem ?? notText } : rule(rawField.text);
      if ("problem" in result) {
        report(rawField.line, rawField.field, result.problem);
        return undefined;
      }
      return result.value;
    };

    const customerId = read("customerId", ruleOf("customerId"));
    const locationId = read("locationId", ruleOf("locationId"));
    const serviceId = read("serviceId", ruleOf("serviceId"));
    const profile = entry.fields.profile === undefined ? DEFAULT_ENTRY_PROFILE : read("profile", profileRule);

    if (customerId === undefined || locationId === undefined) continue;
    const locationKey = `${customerId}\u0000${locationId}`;
    const firstLine = firstLineOfLocation.get(locationKey);
    if (firstLine !== undefined) {
      report(entry.line, entry.path, {
        code: "duplicate-location",
        message:
          `location ${quoteForMessage(customerId)}/${quoteForMessage(locationId)} is listed twice (lines ${firstLine} and ${entry.line}); ` +
          "keep one entry per location",
      });
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
