// Turns a failed attempt into a typed error with a hint that says what to do. The one place hints live.
import {
  PlumeAuthError,
  PlumeError,
  PlumeForbiddenError,
  PlumeNetworkError,
  PlumeNotFoundError,
  PlumeProxyError,
  PlumeRateLimitError,
  PlumeServerError,
  PlumeTimeoutError,
  PlumeTokenError,
  PlumeUnexpectedResponseError,
  PlumeValidationError,
} from "./errors";
import {
  isFirewallRejection,
  loopBackError,
  type AttemptOutcome,
  type ProxyFailure,
  type ResponseOutcome,
} from "./httpOutcome";
import type { DescribeSetting, PlumeAuth } from "./options";
import { maskKnownSecrets } from "./redact";
import { isTransientNetworkError } from "./retry";

/** Everything known about the call when it failed. */
export interface FailureContext {
  method: string;
  path: string;
  /** The whole URL tried, without a query: errors name the host they could not reach or that answered. */
  url: string;
  /** HTTP attempts made. */
  attempts: number;
  /** `api` for location calls, `oauthToken` for the token endpoint, `login` for the admin login. */
  purpose: "api" | "oauthToken" | "login";
  auth: PlumeAuth;
  /** The customer and location of a location call, for hints. */
  customerId?: string;
  locationId?: string;
  /** Fields of the PATCH body, to name the rejected one. */
  sentFields?: readonly string[];
  /** The limits in force, for the rate-limit hint. */
  windowLimit: number;
  windowMs: number;
  timeoutMs: number;
  deadlineMs: number;
  /** Whether the call stopped because its deadline left no time for another attempt. */
  stoppedByDeadline: boolean;
  /** Secrets that must not appear in any message. */
  secrets: readonly string[];
  /** How hints name an option (the client's `describeSetting` option). */
  describeSetting: DescribeSetting;
}

/** What every error about a response carries: the request, its status and Plume's own message. */
interface ResponseDetails {
  method: string;
  path: string;
  url: string;
  attempts: number;
  status: number;
  plumeMessage?: string;
}

/** The typed error for `outcome`, with status, method, path, Plume's message and a hint. No secret in it. */
export function errorForFailure(outcome: AttemptOutcome, context: FailureContext): PlumeError {
  const base = { method: context.method, path: context.path, url: context.url, attempts: context.attempts };
  const deadlineNote = context.stoppedByDeadline
    ? ` The call's deadline of ${context.deadlineMs} ms (${context.describeSetting("deadlineMs")}) left no time for another retry.`
    : "";
  if (outcome.kind === "network" && outcome.proxy) {
    return proxyError(outcome.proxy, outcome.code, context, base, deadlineNote);
  }

  if (outcome.kind === "timeout") {
    return new PlumeTimeoutError(
      context.stoppedByDeadline ? "The call ran out of time" : "Plume did not answer in time",
      {
        ...base,
        hint:
          `No answer within ${outcome.timeoutMs} ms. Plume may be slow or unreachable from here; if it is only slow, ` +
          `raise ${context.describeSetting("timeoutMs")} or ${context.describeSetting("deadlineMs")}.` +
          deadlineNote,
      },
    );
  }
  if (outcome.kind === "network" && !isReachabilityFailure(outcome.code)) {
    // Not the network: a request Node refused to send, an answer it could not read. Its own words say more
    // than "could not reach", and no retry was made.
    const message = maskKnownSecrets(outcome.message, context.secrets);
    return new PlumeNetworkError(`Request failed: ${message}`, {
      ...base,
      code: outcome.code,
      cause: outcome.code,
      hint:
        `${outcome.code ?? "An error without a code"} is not a connection problem a retry could fix, so the ` +
        `request was not retried. Turn on ${context.describeSetting("debug")} to see each attempt, and report it ` +
        `if it persists.`,
    });
  }
  if (outcome.kind === "network") {
    const what = context.purpose === "oauthToken" ? "Plume's token endpoint" : "Plume";
    return new PlumeNetworkError(`Could not reach ${what} at ${hostAndPort(context.url)}`, {
      ...base,
      code: outcome.code,
      cause: outcome.code,
      hint: networkHint(outcome.code, context) + deadlineNote,
    });
  }
  const details: ResponseDetails = {
    ...base,
    status: outcome.status,
    plumeMessage: plumeMessageOf(outcome, context.secrets),
  };
  // The admin login goes to the API host, behind the same firewall: its 403 is the rate limit, not a wrong
  // password.
  const isRateLimited = isFirewallRejection(outcome) || (outcome.status === 429 && context.purpose === "api");
  if (isRateLimited && context.purpose !== "oauthToken")
    return rateLimitError(context, details, deadlineNote);
  if (context.purpose !== "api") return tokenError(outcome, context, details, deadlineNote);

  const where = describeTarget(context);
  switch (true) {
    case outcome.status === 401:
      return new PlumeAuthError("Plume refused the credentials", { ...details, hint: authHint(context) });
    case outcome.status === 403:
      return new PlumeForbiddenError("Plume does not allow this action", {
        ...details,
        hint:
          `Plume's application refused ${where} for these credentials: the partner or user lacks the role for it ` +
          `(OAuth clients need role partnerIdAdmin), or the location belongs to another partner.`,
      });
    case outcome.status === 404:
      return new PlumeNotFoundError("Plume does not know this location", {
        ...details,
        hint: `${capitalise(where)} does not exist or is not known to Plume: check the customerId and locationId (was the location deleted?).`,
      });
    case outcome.status === 400 || outcome.status === 422: {
      const field = rejectedField(outcome, context);
      return new PlumeValidationError(field ? `Plume rejected ${field}` : "Plume rejected the request", {
        ...details,
        field,
        hint: validationHint(outcome.status, field),
      });
    }
    case outcome.status >= 500:
      return new PlumeServerError("Plume failed on its side", {
        ...details,
        hint:
          `Plume answered ${outcome.status} through every retry. Try again later; repeating the run is safe ` +
          `(a PATCH sets absolute values).` +
          deadlineNote,
      });
    default:
      return new PlumeUnexpectedResponseError("Plume answered with an unexpected status", {
        ...details,
        hint: `Check that ${context.describeSetting("apiUrl")} is the Plume API host, not a web page or a proxy.`,
      });
  }
}

function rateLimitError(context: FailureContext, details: ResponseDetails, deadlineNote: string): PlumeError {
  return new PlumeRateLimitError("Plume's rate limit kept refusing requests", {
    ...details,
    hint:
      `Plume's firewall allows 2,000 calls per rolling five minutes per source IP and answers 403 beyond that; ` +
      `this client keeps to ${context.windowLimit} per ${Math.round(context.windowMs / 1000)} s but was still refused. ` +
      `Another process or machine behind the same IP is probably using the budget: wait five minutes and run again, ` +
      `or lower ${context.describeSetting("windowLimit")} and ${context.describeSetting("maxRequestsPerSecond")}.` +
      deadlineNote,
  });
}

/** A 2xx whose body is not what the API returns. */
export function unexpectedBodyError(context: FailureContext, status: number, expected: string): PlumeError {
  return new PlumeUnexpectedResponseError(`Plume's answer is not ${expected}`, {
    method: context.method,
    path: context.path,
    url: context.url,
    status,
    attempts: context.attempts,
    hint: `Check that ${context.describeSetting("apiUrl")} is the Plume API host, not a web page or a proxy.`,
  });
}

function tokenError(
  outcome: ResponseOutcome,
  context: FailureContext,
  details: ResponseDetails,
  deadlineNote: string,
): PlumeError {
  const json = outcome.json as Record<string, unknown> | undefined;
  const code =
    typeof json?.error === "string"
      ? json.error
      : (loopBackError(outcome)?.code ?? loopBackError(outcome)?.name);
  const credentials =
    context.purpose === "oauthToken"
      ? `${context.describeSetting("auth.clientId")} and ${context.describeSetting("auth.clientSecret")}`
      : `${context.describeSetting("auth.email")} and ${context.describeSetting("auth.password")}`;
  let hint: string;
  if (code === "invalid_scope") {
    hint = `The client may not act for this partner: check ${context.describeSetting("auth.partnerId")}.`;
  } else if (code === "invalid_request" || code === "unsupported_grant_type") {
    hint = `The token endpoint refused the request's form: check ${context.describeSetting("auth.tokenUrl")} is Plume's OAuth2 token endpoint.`;
  } else if (outcome.status === 400 || outcome.status === 401 || outcome.status === 403) {
    hint = `Check ${credentials}.`;
    if (context.purpose === "oauthToken")
      hint += ` Check also that ${context.describeSetting("auth.tokenUrl")} is for your Plume cloud.`;
  } else if (outcome.status >= 500 || outcome.status === 429) {
    hint =
      `The ${context.purpose === "oauthToken" ? "token endpoint" : "login"} kept failing; try again later.` +
      deadlineNote;
  } else {
    hint =
      context.purpose === "oauthToken"
        ? `Check ${context.describeSetting("auth.tokenUrl")}: it must be …/oauth2/<cloud-id>/v1/token.`
        : `Check ${context.describeSetting("apiUrl")} is the Plume API host.`;
  }
  const summary =
    context.purpose === "oauthToken"
      ? "Plume's token endpoint refused to issue a token"
      : "Plume refused the admin login";
  return new PlumeTokenError(code ? `${summary} (${code})` : summary, { ...details, code, hint });
}

function authHint(context: FailureContext): string {
  const customer = context.customerId ? `customer ${context.customerId}` : "the customer";
  switch (context.auth.kind) {
    case "oauth":
      return (
        `A fresh token was refused too. Check ${context.describeSetting("auth.clientId")}, ${context.describeSetting("auth.clientSecret")}` +
        ` and ${context.describeSetting("auth.partnerId")}; if they are right, ` +
        `${customer} is probably not visible to partner ${context.auth.partnerId} (wrong customer id, or another partner's customer).`
      );
    case "login":
      return (
        `A fresh login was refused too. Check ${context.describeSetting("auth.email")} and ${context.describeSetting("auth.password")}` +
        `; if they are right, ${customer} is probably not visible to this user.`
      );
    case "token":
      return (
        `The token given in ${context.describeSetting("auth.token")} was refused: it may have expired (a given token ` +
        `cannot be renewed; prefer OAuth client credentials), or ${customer} is not visible to it.`
      );
  }
}

/** Whether a network failure means the host could not be reached: transient, an unknown host, or TLS. */
function isReachabilityFailure(code: string | undefined): boolean {
  return isTransientNetworkError(code) || code === "ENOTFOUND" || isTlsFailure(code);
}

function isTlsFailure(code: string | undefined): boolean {
  return code !== undefined && /CERT|SSL|TLS|SIGNATURE/.test(code);
}

function networkHint(code: string | undefined, context: FailureContext): string {
  const setting = context.purpose === "oauthToken" ? "auth.tokenUrl" : "apiUrl";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `The host name does not resolve: check ${context.describeSetting(setting)} and DNS.`;
  }
  if (code === "ECONNREFUSED") {
    return `Nothing accepts connections there: check ${context.describeSetting(setting)}, including the port.`;
  }
  if (isTlsFailure(code)) {
    return (
      `The server's TLS certificate did not verify (${code}). If your Plume cloud uses a private CA, give its PEM ` +
      `in ${context.describeSetting("caCertificate")}; verification is never switched off.`
    );
  }
  return `The connection failed (${code ?? "no response"}) through every retry: check connectivity to the ${setting === "apiUrl" ? "API host" : "token endpoint"}.`;
}

/** A failure at the proxy: names the proxy (never its credentials) and the variables to check. */
function proxyError(
  failure: ProxyFailure,
  code: string | undefined,
  context: FailureContext,
  base: { method: string; path: string; attempts: number },
  deadlineNote: string,
): PlumeError {
  const setting = context.purpose === "oauthToken" ? "auth.tokenUrl" : "apiUrl";
  const details = { ...base, code, cause: code, proxy: failure.address, variable: failure.variable };
  const check = `check ${failure.variable} and NO_PROXY`;
  const bypass = `list ${failure.target.replace(/:\d+$/, "")} in NO_PROXY if it can be reached without the proxy`;
  if (failure.status === undefined) {
    const why =
      code === "ECONNREFUSED"
        ? "nothing accepts connections there"
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? "its host name does not resolve"
          : `the connection failed (${code ?? "no response"})`;
    return new PlumeProxyError(`Could not reach the proxy ${failure.address}`, {
      ...details,
      hint: `The proxy ${failure.address} comes from ${failure.variable}, and ${why}: ${check}, or ${bypass}.${deadlineNote}`,
    });
  }
  const answered = { ...details, proxyStatus: failure.status };
  if (failure.status === 407) {
    return new PlumeProxyError(`The proxy ${failure.address} requires authentication (407)`, {
      ...answered,
      hint: failure.sentCredentials
        ? `The proxy refused the user name and password in ${failure.variable}: ${check} (percent-encode special characters in them).`
        : `Give the proxy's credentials in ${failure.variable} as http://user:password@${failure.address} (percent-encoded), or ${bypass}.`,
    });
  }
  if (failure.status >= 500) {
    return new PlumeProxyError(
      `The proxy ${failure.address} could not connect to ${failure.target} (HTTP ${failure.status})`,
      {
        ...answered,
        hint: `The proxy from ${failure.variable} did not reach ${failure.target}: check ${context.describeSetting(setting)} and that the proxy can reach Plume; ${check}.${deadlineNote}`,
      },
    );
  }
  return new PlumeProxyError(
    `The proxy ${failure.address} refused to connect to ${failure.target} (HTTP ${failure.status})`,
    {
      ...answered,
      hint: `The proxy from ${failure.variable} does not allow ${failure.target}: ask its administrators to allow it, ${check}, or ${bypass}.`,
    },
  );
}

function validationHint(status: number, field: string | undefined): string {
  const rules = "serviceId must be non-empty text, and profile must be auto or smallbusiness";
  if (status === 400) {
    return `Plume says a required field is missing${field ? ` (${field})` : " (serviceId is required on every change)"}; ${rules}.`;
  }
  return field
    ? `Fix ${field}: ${rules}.`
    : `Plume rejected the input: ${rules}, and at least one of them must be given.`;
}

/** The field Plume rejected: from LoopBack's `details`, from its message, or the only field sent. */
function rejectedField(outcome: ResponseOutcome, context: FailureContext): string | undefined {
  const error = loopBackError(outcome);
  const details = error?.details as { codes?: unknown; messages?: unknown } | undefined;
  for (const map of [details?.codes, details?.messages]) {
    if (map !== null && typeof map === "object") {
      const names = Object.keys(map);
      if (names.length > 0) return names.join(", ");
    }
  }
  const fields = context.sentFields ?? [];
  const message = error?.message ?? "";
  const named = ["serviceId", "profile", "name"].filter((field) =>
    new RegExp(`\\b${field}\\b`, "i").test(message),
  );
  if (named.length > 0) return named.join(", ");
  return fields.length === 1 ? fields[0] : undefined;
}

/** Plume's own message (LoopBack `error.message`, OAuth `error_description`), secrets masked, length capped. */
function plumeMessageOf(outcome: ResponseOutcome, secrets: readonly string[]): string | undefined {
  const json = outcome.json as Record<string, unknown> | undefined;
  const message =
    loopBackError(outcome)?.message ??
    (typeof json?.error_description === "string" ? json.error_description : undefined) ??
    (typeof json?.message === "string" ? json.message : undefined);
  if (typeof message !== "string" || message.trim() === "") return undefined;
  const masked = maskKnownSecrets(message.trim(), secrets);
  return masked.length > 300 ? masked.slice(0, 300) + "…" : masked;
}

function describeTarget(context: FailureContext): string {
  if (context.locationId) return `location ${context.locationId} of customer ${context.customerId}`;
  if (context.customerId) return `the locations of customer ${context.customerId}`;
  return "the request";
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `host:port` of a URL, the port spelled out even when it is the scheme's default: what a firewall rule names. */
export function hostAndPort(url: string): string {
  try {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
    return `${parsed.hostname}:${port}`;
  } catch {
    return url;
  }
}
