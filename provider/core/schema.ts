// The inputs of a PlumeLocationService and how `check` validates them. Pure: no Pulumi, no HTTP.
import { z } from "zod";
import { LOCATION_PROFILES, type LocationProfile } from "../client/location";
import { quoteForMessage } from "../client/quote";
import { formatProblem, type Problem } from "../problem";

/**
 * The value the Pulumi engine sends for an input that is not known yet (during preview). It passes `check`
 * untouched and counts as a change in `diff`.
 */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The profile used when none is given, and the one `delete` puts a location back on. @default "auto" */
export const DEFAULT_PROFILE: LocationProfile = "auto";

/** Each profile under its own name and its product name, lower case without spaces, `-` or `_`. */
const PROFILE_SPELLINGS: ReadonlyMap<string, LocationProfile> = new Map([
  ...LOCATION_PROFILES.map((profile) => [profile, profile] as const),
  ["homepass", "auto"],
  ["workpass", "smallbusiness"],
]);

/** What a profile may be, for every message about a refused one. */
export const PROFILE_RULE = 'must be "auto" (HomePass) or "smallbusiness" (WorkPass)';

/**
 * The profile a spelling means, or undefined: `auto` and `smallbusiness`, or the product names `HomePass` and
 * `WorkPass`, ignoring case, spaces, `-` and `_` ("Small Business", "WORKPASS"). The resource's `check` and
 * fleet files accept exactly the same spellings, and both store the canonical value.
 */
export function profileFromSpelling(value: string): LocationProfile | undefined {
  return PROFILE_SPELLINGS.get(value.toLowerCase().replace(/[\s_-]/g, ""));
}

/** Longest customer or location id accepted (Plume's ids are 24 hex characters). */
export const MAX_ID_LENGTH = 128;

/** Longest serviceId accepted; longer values are almost certainly a mistake in the fleet file. */
export const MAX_SERVICE_ID_LENGTH = 256;

/** The checked inputs of a PlumeLocationService. */
export interface LocationServiceInputs {
  customerId: string;
  locationId: string;
  serviceId: string;
  profile: LocationProfile;
}

/**
 * One reason `check` refuses the inputs: `path` is the input (`customerId`), `code` the rule broken
 * (`required`, `invalid-id`, `too-long`, `bad-profile`, ...). Adapters turn it into Pulumi's check failure.
 */
export type InputFailure = Problem;

/** Why a value breaks a rule: the problem's code and message, without the path. */
type Refusal = Pick<Problem, "code" | "message">;

function refusal(code: string, message: string): Refusal {
  return { code, message };
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

// Half of a UTF-16 surrogate pair on its own (JSON's "\ud800"): it has no UTF-8 form, so gRPC, Pulumi's state
// and HTTP all turn every one into U+FFFD, and two different values would reach Plume (and the resource
// name) as one.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What a Plume id may hold: letters, digits, `-`, `_` and `.` (every public sample is a 24-hex ObjectId). */
const PLUME_ID = /^[A-Za-z0-9._-]+$/;

/** What `check` says an id may hold, for every message about a refused id. */
export const ID_RULE =
  "letters, digits, '-', '_' and '.' (not '.' or '..' alone), e.g. 5f0c3e1a9b8d7c6e5f4a3b2c";

/**
 * Why `value` cannot be a Plume customer or location id, or undefined when it can. Anything Plume could never
 * have issued (a space, `?`, `#`, `/`, `%`, a non-ASCII letter) is a typo or a copy-paste accident: refused at
 * `check`, so it fails in the preview instead of becoming a 404 at `up`.
 */
function plumeIdProblem(value: string): Refusal | undefined {
  if (value.length === 0) return refusal("empty", "must not be empty");
  if (value.length > MAX_ID_LENGTH)
    return refusal("too-long", `must be at most ${MAX_ID_LENGTH} characters (got ${value.length})`);
  if (value !== value.trim()) return refusal("whitespace", "must not start or end with whitespace");
  if (value === "." || value === "..") return refusal("dot-segment", "must not be '.' or '..'");
  if (value.includes("/") || value.includes("\\"))
    return refusal("path-separator", "must not contain '/' or '\\' (it is one URL path segment)");
  if (CONTROL_CHARACTER.test(value))
    return refusal("control-characters", "must not contain control characters");
  if (LONE_SURROGATE.test(value))
    return refusal("lone-surrogate", "must be valid Unicode text (it holds half of a surrogate pair)");
  // Plume's ids never contain "%": one that does was copied percent-encoded ("%2F" is a hidden "/").
  if (value.includes("%"))
    return refusal(
      "percent-encoded",
      `must not contain '%' (write the id decoded); a Plume id holds only ${ID_RULE}`,
    );
  if (!PLUME_ID.test(value)) {
    const offending = [...value].find((character) => !PLUME_ID.test(character)) ?? "";
    return refusal("invalid-id", `must hold only ${ID_RULE}; it contains ${describeCharacter(offending)}`);
  }
  return undefined;
}

/** A character for a message: quoted when printable, its code point when not (a space, a control, U+202E). */
function describeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  if (codePoint === 0x20) return "a space";
  const printable = codePoint > 0x20 && codePoint < 0x7f;
  return printable ? `'${character}'` : `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why `value` is not an acceptable serviceId, or undefined when it is. */
function serviceIdProblem(value: string): Refusal | undefined {
  if (value.length === 0) return refusal("empty", "must not be empty (Plume rejects an empty serviceId)");
  if (value.length > MAX_SERVICE_ID_LENGTH) {
    return refusal("too-long", `must be at most ${MAX_SERVICE_ID_LENGTH} characters (got ${value.length})`);
  }
  if (value !== value.trim())
    return refusal("whitespace", "must not start or end with whitespace (it is sent exactly as written)");
  if (CONTROL_CHARACTER.test(value))
    return refusal("control-characters", "must not contain control characters");
  if (LONE_SURROGATE.test(value))
    return refusal("lone-surrogate", "must be valid Unicode text (it holds half of a surrogate pair)");
  return undefined;
}

/** Adds `refused` to zod's issues, its code in the issue's params. */
function addRefusal(ctx: z.RefinementCtx, refused: Refusal): typeof z.NEVER {
  ctx.addIssue({ code: "custom", message: refused.message, params: { code: refused.code } });
  return z.NEVER;
}

function requiredString(problem: (value: string) => Refusal | undefined) {
  return z.unknown().transform((value, ctx): string => {
    if (value === undefined) return addRefusal(ctx, refusal("required", "is required"));
    if (typeof value !== "string") return addRefusal(ctx, refusal("not-a-string", "must be a string"));
    const refused = problem(value);
    return refused === undefined ? value : addRefusal(ctx, refused);
  });
}

/** The zod schema of the inputs, with the profile default filled in. */
export const locationServiceInputsSchema = z.object({
  customerId: requiredString(plumeIdProblem),
  locationId: requiredString(plumeIdProblem),
  serviceId: requiredString(serviceIdProblem),
  profile: z
    .unknown()
    .transform((value, ctx) => {
      const profile = typeof value === "string" ? profileFromSpelling(value) : undefined;
      if (profile === undefined) {
        return addRefusal(ctx, refusal("bad-profile", `${PROFILE_RULE}, got ${quoteForMessage(value)}`));
      }
      return profile;
    })
    .optional()
    .transform((profile) => profile ?? DEFAULT_PROFILE),
});

type InputKey = keyof LocationServiceInputs;
const INPUT_KEYS = Object.keys(locationServiceInputsSchema.shape) as InputKey[];

// Building a zod schema costs far more than parsing with one (0.25 ms against 0.01 ms), and a preview checks
// every resource: build each schema without the unknown-valued keys once, not once per check.
const schemasWithout = new Map<string, z.ZodType<Partial<LocationServiceInputs>>>();

function schemaWithout(unknownKeys: InputKey[]): z.ZodType<Partial<LocationServiceInputs>> {
  const cacheKey = unknownKeys.join(",");
  let schema = schemasWithout.get(cacheKey);
  if (!schema) {
    const omitted = Object.fromEntries(unknownKeys.map((key) => [key, true])) as Partial<
      Record<InputKey, true>
    >;
    schema = locationServiceInputsSchema.omit(omitted);
    schemasWithout.set(cacheKey, schema);
  }
  return schema;
}

/**
 * A problem as a Pulumi check failure: the input it is about (`""` for the resource as a whole) and the
 * sentence the engine shows (`customerId is required`).
 */
export function checkFailureOf(problem: Problem): { property: string; reason: string } {
  return { property: problem.path, reason: formatProblem(problem) };
}

/** zod's issues as problems: the input is the path, the code is the refusal's (see `addRefusal`). */
export function problemsOfIssues(issues: readonly z.core.$ZodIssue[]): Problem[] {
  return issues.map((issue) => ({
    code: String((issue as { params?: { code?: unknown } }).params?.code ?? issue.code),
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

/**
 * Validates inputs the way `check` must: never throws, returns every failure, leaves unknown values untouched,
 * fills in defaults, and keeps only the declared inputs.
 */
export function checkLocationServiceInputs(news: Record<string, unknown>): {
  inputs: Record<string, unknown>;
  problems: InputFailure[];
} {
  const unknownKeys = INPUT_KEYS.filter((key) => news[key] === UNKNOWN_VALUE);
  const result = schemaWithout(unknownKeys).safeParse(news);
  const inputs: Record<string, unknown> = {};
  for (const key of INPUT_KEYS) {
    if (news[key] !== undefined) inputs[key] = news[key];
  }
  if (!result.success) return { inputs, problems: problemsOfIssues(result.error.issues) };
  return { inputs: { ...inputs, ...result.data }, problems: [] };
}
