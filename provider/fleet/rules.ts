/**
 * The per-field rules of a fleet entry. The id and serviceId rules are the resource's own (its `check`, in
 * provider/resource/schema.ts), applied here field by field, so a fleet file that loads cleanly never fails
 * later at `pulumi preview`, and the loader can name the file, line and field of every breach.
 */
import { DEFAULT_PROFILE, type PlumeProfile, locationServiceInputsSchema } from "../resource/schema";

/** The profile of an entry that names none: `auto` (HomePass), as for the resource. */
export const DEFAULT_ENTRY_PROFILE: PlumeProfile = DEFAULT_PROFILE;

/** The two location profiles Plume accepts: `auto` is HomePass, `smallbusiness` is WorkPass. */
export type LocationProfile = PlumeProfile;

type CheckedField = "customerId" | "locationId" | "serviceId";

function resourceRuleProblem(field: CheckedField, value: string): string | undefined {
  const result = locationServiceInputsSchema.shape[field].safeParse(value);
  if (result.success) return undefined;
  return result.error.issues.map((issue) => issue.message.replace(`${field} `, "")).join("; ");
}

/**
 * Returns why `value` is not a usable customer or location id, or `undefined` when it is: the resource's
 * rule (1 to 128 characters, one URL path segment: no `/` or `\`, not `.` or `..`, no control characters,
 * no leading or trailing whitespace), and no `%`: a percent-encoded id such as `a%2Fb` is refused rather
 * than guessed at.
 */
export function idProblem(value: string): string | undefined {
  const problem = resourceRuleProblem("customerId", value);
  if (problem !== undefined) return problem;
  // Plume's ids never contain "%"; one that does is a copied, percent-encoded URL ("%2F" is a hidden "/").
  if (value.includes("%")) return `must not contain '%' (write the id decoded; got ${quote(value)})`;
  return undefined;
}

/**
 * Returns why `value` is not a usable serviceId, or `undefined` when it is: the resource's rule (1 to 256
 * characters, no control characters, no leading or trailing whitespace).
 */
export function serviceIdProblem(value: string): string | undefined {
  return resourceRuleProblem("serviceId", value);
}

const PROFILE_SPELLINGS: ReadonlyMap<string, LocationProfile> = new Map([
  ["auto", "auto"],
  ["homepass", "auto"],
  ["smallbusiness", "smallbusiness"],
  ["workpass", "smallbusiness"],
]);

/**
 * Reads a profile as written in a fleet file: `auto` or `smallbusiness`, or the product names `HomePass`
 * and `WorkPass`. Case, spaces, `-` and `_` are ignored ("Small Business", "WORKPASS"). An empty value is a
 * problem: leave the field out (or, in CSV, the cell empty) for the default, `auto`.
 */
export function parseProfile(value: string): { profile: LocationProfile } | { problem: string } {
  const profile = PROFILE_SPELLINGS.get(value.toLowerCase().replace(/[\s_-]/g, ""));
  if (profile !== undefined) return { profile };
  return { problem: `must be "auto" or "smallbusiness" (or HomePass / WorkPass); got ${quote(value)}` };
}

/** Quotes a value for a message, shortened so one bad cell cannot flood the terminal. */
export function quote(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}
