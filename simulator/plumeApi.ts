// Plume's LoopBack 3 API as far as the project uses it: admin login, list/get/patch of a customer's locations.
import type { Metrics } from "./metrics";
import {
  authorizationRequired,
  jsonResponse,
  loopbackError,
  noMethod,
  type SimRequest,
  type SimResponse,
} from "./exchange";
import { isRecord, LOCATION_PROFILES, type LocationChanges, type SimulatorState } from "./state";
import type { TokenGrant, TokenStore } from "./tokens";

/** An admin user that can log in. */
export interface AdminUser {
  email: string;
  password: string;
  partnerId: string;
  userId: string;
}

/** What the API needs from the simulator. */
export interface ApiContext {
  state: SimulatorState;
  tokens: TokenStore;
  users: ReadonlyMap<string, AdminUser>;
  loginTtlSeconds: number;
  metrics: Metrics;
  now: () => number;
}

/** Profiles a client may set; `property` is valid but needs an integration role nobody here has. */
export const PATCHABLE_PROFILES = LOCATION_PROFILES.filter((profile) => profile !== "property");
const PATCHABLE_FIELDS = ["serviceId", "profile", "name"];

/** Handles a request under /api that the firewall let through. */
export function handleApiRequest(request: SimRequest, context: ApiContext): SimResponse {
  const parsed = parseJsonBody(request);
  if ("error" in parsed) return parsed.error;
  const body = parsed.value;

  const segments = request.path.split("/");
  // ["", "api", "Customers", ...rest]
  if (segments[1] !== "api" || segments[2] !== "Customers") return noMethod(request.method, request.path);
  const rest = segments.slice(3);

  if (rest.length === 1 && rest[0] === "login") {
    return request.method === "POST" ? login(body, context) : noMethod(request.method, request.path);
  }
  if (
    (rest.length !== 2 && rest.length !== 3) ||
    rest[1] !== "locations" ||
    rest.some((part) => part === "")
  ) {
    return noMethod(request.method, request.path);
  }
  const customerId = decodeSegment(rest[0]!);
  const locationId = rest.length === 3 ? decodeSegment(rest[2]!) : undefined;
  if (customerId === undefined || (rest.length === 3 && locationId === undefined)) {
    return noMethod(request.method, request.path);
  }
  const allowed = locationId === undefined ? ["GET"] : ["GET", "PATCH"];
  if (!allowed.includes(request.method)) return noMethod(request.method, request.path);

  // Unknown customers and other partners' customers look the same: 401, as the guide says.
  const check = context.tokens.check(request.headers.authorization);
  if (!check.ok || !mayAccess(check.grant, customerId, context.state)) return authorizationRequired();

  if (locationId === undefined) {
    context.metrics.counters.lists += 1;
    return jsonResponse(200, [...context.state.peekLocations(customerId)]);
  }
  if (request.method === "GET") context.metrics.counters.gets += 1;
  else context.metrics.counters.patches += 1;

  const location = context.state.peekLocation(customerId, locationId);
  if (!location) {
    return loopbackError(404, "Error", `Unknown "Location" id "${locationId}".`, "MODEL_NOT_FOUND");
  }
  if (request.method === "GET") return jsonResponse(200, location);

  const validated = validatePatch(body);
  if ("error" in validated) return validated.error;
  const updated = context.state.applyChanges(customerId, locationId, validated.changes);
  context.metrics.counters.patchesApplied += 1;
  return jsonResponse(200, updated);
}

/**
 * Validates a PATCH body in the order the contract gives: an empty body is a 422, a missing serviceId a 400,
 * then every field problem in one LoopBack ValidationError (422), then the role check on `property` (403).
 */
export function validatePatch(body: unknown): { changes: LocationChanges } | { error: SimResponse } {
  const fields = body === undefined ? {} : body;
  if (!isRecord(fields)) return { error: notAnObject() };
  if (Object.keys(fields).length === 0) {
    return { error: validationError({ "": ["You must specify at least one parameter to patch"] }) };
  }
  if (!("serviceId" in fields)) {
    return {
      error: loopbackError(400, "Error", "Required fields are missing: serviceId", "MISSING_REQUIRED_FIELDS"),
    };
  }

  const problems: Record<string, string[]> = {};
  const { serviceId, profile, name } = fields;
  if (typeof serviceId !== "string") {
    problems.serviceId = [`must be a string (value: ${JSON.stringify(serviceId)})`];
  } else if (serviceId.trim() === "") {
    problems.serviceId = [`can't be blank (value: ${JSON.stringify(serviceId)})`];
  }
  if (
    "profile" in fields &&
    profile !== "property" &&
    !(PATCHABLE_PROFILES as readonly unknown[]).includes(profile)
  ) {
    problems.profile = [
      `must be one of ${PATCHABLE_PROFILES.join(", ")} (value: ${JSON.stringify(profile)})`,
    ];
  }
  if ("name" in fields && (typeof name !== "string" || name.trim() === "")) {
    problems.name = [`must be a non-empty string (value: ${JSON.stringify(name)})`];
  }
  for (const field of Object.keys(fields)) {
    if (!PATCHABLE_FIELDS.includes(field)) {
      problems[field] = [`is not a field that can be patched; use ${PATCHABLE_FIELDS.join(", ")}`];
    }
  }
  if (Object.keys(problems).length > 0) return { error: validationError(problems) };

  if (profile === "property") {
    return {
      error: loopbackError(
        403,
        "Error",
        "Authorization Required: property profile needs the integration role",
        "AUTHORIZATION_REQUIRED",
      ),
    };
  }
  const changes: LocationChanges = { serviceId: serviceId as string };
  if (profile !== undefined) changes.profile = profile as string;
  if (name !== undefined) changes.name = name as string;
  return { changes };
}

// LoopBack's ValidationError: a one-line message listing every field, and the details per field.
function validationError(messages: Record<string, string[]>): SimResponse {
  const parts = Object.entries(messages).map(([field, list]) =>
    field === "" ? list.join("; ") : `\`${field}\` ${list.join("; ")}`,
  );
  const message = messages[""]
    ? parts.join("; ")
    : `The \`Location\` instance is not valid. Details: ${parts.join("; ")}.`;
  return jsonResponse(422, {
    error: {
      statusCode: 422,
      name: "ValidationError",
      message,
      details: { context: "Location", messages },
    },
  });
}

function login(body: unknown, context: ApiContext): SimResponse {
  context.metrics.counters.logins += 1;
  const credentials = body === undefined ? {} : body;
  if (!isRecord(credentials)) return notAnObject();
  const email = credentials.email;
  if (typeof email !== "string" || email === "") {
    return loopbackError(400, "Error", "username or email is required", "USERNAME_EMAIL_REQUIRED");
  }
  const user = context.users.get(email);
  if (!user || credentials.password !== user.password) {
    return loopbackError(401, "Error", "login failed", "LOGIN_FAILED");
  }
  const token = context.tokens.issueLogin(user.userId, user.partnerId, context.loginTtlSeconds);
  context.metrics.counters.loginsSucceeded += 1;
  return jsonResponse(200, {
    id: token,
    ttl: context.loginTtlSeconds,
    created: new Date(context.now()).toISOString(),
    userId: user.userId,
  });
}

function notAnObject(): SimResponse {
  return loopbackError(400, "Error", "The request body must be a JSON object.", "INVALID_BODY");
}

function mayAccess(grant: TokenGrant, customerId: string, state: SimulatorState): boolean {
  const partnerId = state.partnerOf(customerId);
  return partnerId !== undefined && partnerId === grant.partnerId;
}

// body-parser's behaviour: JSON is parsed only for a JSON content type; anything else leaves no body.
function parseJsonBody(request: SimRequest): { value: unknown } | { error: SimResponse } {
  const contentType = String(request.headers["content-type"] ?? "").toLowerCase();
  const isJson = /^application\/(?:[\w.+-]*\+)?json\b/.test(contentType);
  if (!isJson || request.body.length === 0) return { value: undefined };
  try {
    return { value: JSON.parse(request.body.toString("utf8")) };
  } catch {
    // The parser's own message quotes the body, which may hold a secret: say only what is wrong.
    return { error: loopbackError(400, "SyntaxError", "The request body is not valid JSON.") };
  }
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
