/**
 * The per-field rules of a fleet entry. The id and serviceId rules are the resource's own (its `check`, in
 * provider/core/schema.ts), applied here field by field, so a fleet file that loads cleanly never fails
 * later at `pulumi preview`, and the loader can name the file, line and field of every breach.
 */
import type { LocationProfile } from "../client/location";
import { quoteForMessage } from "../client/quote";
import {
  DEFAULT_PROFILE,
  locationServiceInputsSchema,
  problemsOfIssues,
  profileFromSpelling,
} from "../core/schema";
import type { FieldRefusal } from "./rawEntry";

export type { LocationProfile } from "../client/location";

/** The profile of an entry that names none: `auto` (HomePass), as for the resource. */
export const DEFAULT_ENTRY_PROFILE: LocationProfile = DEFAULT_PROFILE;

type CheckedField = "customerId" | "locationId" | "serviceId";

/**
 * Why `value` breaks the resource's rule for `field` (its code, such as `invalid-id` or `too-long`, and
 * message), or `undefined` when it does not.
 */
export function fieldRefusal(field: CheckedField, value: string): FieldRefusal | undefined {
  const result = locationServiceInputsSchema.shape[field].safeParse(value);
  if (result.success) return undefined;
  const [first] = problemsOfIssues(result.error.issues);
  return { code: first.code, message: first.message };
}

/**
 * Returns why `value` is not a usable customer or location id, or `undefined` when it is: the resource's
 * rule (1 to 128 of letters, digits, `-`, `_` and `.`, not `.` or `..` alone; see `ID_RULE`).
 */
export function idProblem(value: string): string | undefined {
  return fieldRefusal("customerId", value)?.message;
}

/**
 * Returns why `value` is not a usable serviceId, or `undefined` when it is: the resource's rule (1 to 256
 * characters, no control characters, no leading or trailing whitespace).
 */
export function serviceIdProblem(value: string): string | undefined {
  return fieldRefusal("serviceId", value)?.message;
}

/**
 * Reads a profile as written in a fleet file, with the resource's own spellings (`profileFromSpelling`):
 * `auto` or `smallbusiness`, or the product names `HomePass` and `WorkPass`, ignoring case, spaces, `-` and
 * `_`. An empty value is a problem: leave the field out (or, in CSV, the cell empty) for the default, `auto`.
 */
export function parseProfile(value: string): { profile: LocationProfile } | { problem: string } {
  const profile = profileFromSpelling(value);
  if (profile !== undefined) return { profile };
  return {
    problem: `must be "auto" or "smallbusiness" (or HomePass / WorkPass); got ${quoteForMessage(value)}`,
  };
}
