// How `diff` decides between no change, an update and a replacement. Pure: no Pulumi, no HTTP.
import { DEFAULT_PROFILE, UNKNOWN_VALUE } from "./schema";

/** What `diff` answers: whether anything changes, and which fields, each either replaced or updated. */
export interface LocationServiceDiff {
  changes: boolean;
  /** Fields whose change points the resource at another location (`customerId`, `locationId`). */
  replaces: string[];
  /** Fields an update changes in place (`serviceId`, `profile`). */
  updates: string[];
  deleteBeforeReplace: boolean;
}

/** Inputs whose change points the resource at another location: a replacement. */
const IDENTITY_KEYS = ["customerId", "locationId"] as const;

/** Inputs an update can change in place. */
const UPDATABLE_KEYS = ["serviceId", "profile"] as const;

/** The fields `diff` compares, of the inputs or of the last outputs (other fields are ignored). */
export type ComparedFields = Readonly<
  Partial<Record<(typeof IDENTITY_KEYS)[number] | (typeof UPDATABLE_KEYS)[number], unknown>>
>;

function differs(desired: unknown, current: unknown): boolean {
  return desired === UNKNOWN_VALUE || desired !== current;
}

/**
 * Compares the desired inputs (`news`, already checked) with what Plume returned last (`olds`, the old
 * outputs). Makes no API call. An unknown input counts as a change. A new customerId or locationId means
 * another location, so the resource is replaced, deleting first: the old and new resource may well point at
 * the same location, and the old one's reset must not run after the new one's PATCH.
 */
export function diffLocationService(olds: ComparedFields, news: ComparedFields): LocationServiceDiff {
  const replaces = IDENTITY_KEYS.filter((key) => differs(news[key], olds[key]));
  const updates = UPDATABLE_KEYS.filter((key) =>
    differs(news[key] ?? (key === "profile" ? DEFAULT_PROFILE : undefined), olds[key]),
  );
  return {
    changes: replaces.length > 0 || updates.length > 0,
    replaces: [...replaces],
    updates: [...updates],
    deleteBeforeReplace: replaces.length > 0,
  };
}
