import { quoteForMessage } from "../client/quote";
import type { FleetProblem } from "./fleetValidationError";

/** The fields an entry of a fleet file may have. */
export const FLEET_FIELDS = ["customerId", "locationId", "serviceId", "profile"] as const;

/** One of {@link FLEET_FIELDS}. */
export type FleetField = (typeof FLEET_FIELDS)[number];

/** One field of an entry as a format parser read it, before the field rules are applied. */
export interface RawField {
  /** The text of the value, or `undefined` when the value was not text (then `problem` says why). */
  text: string | undefined;
  /** Why the value could not be read as text. */
  problem?: FieldRefusal;
  /** 1-based line of the value. */
  line: number;
  /** How the field is named in problems: `locations[3].profile`, or a CSV column header. */
  field: string;
}

/** Why a field's value is refused: a problem's code and message. */
export interface FieldRefusal {
  code: string;
  message: string;
}

/** One entry of a fleet file as a format parser read it. */
export interface RawEntry {
  /** 1-based line where the entry starts. */
  line: number;
  /** How the entry is named in problems (`locations[3]`), `""` where the line says it all (CSV). */
  path: string;
  /** The fields present in the entry. */
  fields: Partial<Record<FleetField, RawField>>;
}

/** What a format parser hands to the validator: the entries it could read and the problems it found. */
export interface RawFleet {
  entries: RawEntry[];
  problems: FleetProblem[];
}

/** The code of a field name that is not one of the fleet fields. */
export const UNKNOWN_FIELD = "unknown-field";

/** The message for a field name that is not one of the fleet fields, with a suggestion for a near miss. */
export function unknownFieldMessage(key: string): string {
  const nearMiss = FLEET_FIELDS.find(
    (field) => field.toLowerCase() === key.toLowerCase().replace(/[\s_-]/g, ""),
  );
  if (nearMiss !== undefined) return `unknown field ${quoteForMessage(key)}; did you mean "${nearMiss}"?`;
  return `unknown field ${quoteForMessage(key)}; the fields are ${FLEET_FIELDS.join(", ")}`;
}
