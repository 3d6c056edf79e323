// Client options: one exported type with documented defaults, and one function that applies the defaults
// and reports every problem at once.
import { X509Certificate } from "node:crypto";
import { systemClientClock, type ClientClock } from "./clock";
import type { Problem } from "../problem";
import { PlumeConfigError } from "./errors";
import { quoteForMessage } from "./quote";

/** OAuth2 client credentials, Plume's machine-to-machine method. API calls send `Bearer <access_token>`. */
export interface PlumeOAuthAuth {
  kind: "oauth";
  /** Token endpoint, e.g. `https://external.sso.plume.com/oauth2/<cloud-id>/v1/token`. */
  tokenUrl: string;
  /** OAuth2 client id issued by Plume. */
  clientId: string;
  /** OAuth2 client secret issued by Plume. Secret. */
  clientSecret: string;
  /** Partner id; the token is requested with scope `partnerId:<partnerId> role:partnerIdAdmin`. */
  partnerId: string;
}

/** Admin-user login (`POST /api/Customers/login`). API calls send the returned token raw, with no scheme. */
export interface PlumeLoginAuth {
  kind: "login";
  /** Admin user e-mail. */
  email: string;
  /** Admin user password. Secret. */
  password: string;
}

/** A token obtained elsewhere, sent verbatim as the `Authorization` header. It cannot be renewed. */
export interface PlumeTokenAuth {
  kind: "token";
  /** The exact `Authorization` header value, e.g. `Bearer eyJ...` or a raw LoopBack token. Secret. */
  token: string;
}

/** The three ways to authenticate. */
export type PlumeAuth = PlumeOAuthAuth | PlumeLoginAuth | PlumeTokenAuth;

/**
 * Options of `PlumeClient`. Only `apiUrl` and `auth` are required. Numbers and booleans may be given as
 * strings (`"6"`, `"true"`, `"1"`), as they arrive from configuration files and the environment.
 */
export interface PlumeClientOptions {
  /** The API host, e.g. `https://piranha-gamma.prod.us-west-2.aws.plumenet.io`; a trailing `/` or `/api` is fine. */
  apiUrl: string;
  /** How to authenticate. */
  auth: PlumeAuth;
  /** Request starts per second, shared by every client of the process (Plume's recommendation). @default 6 */
  maxRequestsPerSecond?: number;
  /**
   * Request starts allowed per rolling `windowMs`, shared by every client of the process. Plume's firewall
   * allows 2,000 per five minutes per source IP; the default leaves a margin for other tools on the host.
   * @default 1800
   */
  windowLimit?: number;
  /** Length of the rolling window `windowLimit` applies to, in milliseconds. @default 300000 (five minutes) */
  windowMs?: number;
  /** Requests in flight at once, shared by every client of the process. @default 10 */
  maxConcurrency?: number;
  /** Time limit of one HTTP attempt, in milliseconds. @default 30000 */
  timeoutMs?: number;
  /**
   * Time limit of one call (all its attempts and backoff pauses), in milliseconds. Time spent waiting for
   * the shared rate limiter (queued behind other calls, or held back after a firewall 403 or a 429) does
   * not count: a large fleet run queues for as long as the rate limit requires. @default 120000
   */
  deadlineMs?: number;
  /** Retries after the first attempt for retryable failures (network, timeout, 5xx, 429, firewall 403). @default 5 */
  maxRetries?: number;
  /** First backoff pause; it doubles per retry, with full jitter. @default 1000 */
  retryBaseDelayMs?: number;
  /** Longest backoff pause. @default 30000 */
  retryMaxDelayMs?: number;
  /** Allow plain `http://` to a host that is not loopback. Never do this with real credentials. @default false */
  allowInsecureHttp?: boolean;
  /** An extra CA certificate (PEM text) trusted besides Node's bundled roots, e.g. a private cloud's CA. @default none */
  caCertificate?: string;
  /** Log one line per HTTP attempt (never a header, body or secret). @default false */
  debug?: boolean;
  /** Where debug lines go. @default one line per call to `process.stderr.write` */
  logger?: (line: string) => void;
  /**
   * How hints name an option, given its path (`apiUrl`, `auth.clientId`): a tool that fills the options from
   * its own settings names the setting its user knows (e.g. `apiUrl (--api-url)`).
   * @default {@link describeOptionPath}: "the `apiUrl` option"
   */
  describeSetting?: DescribeSetting;
  /**
   * Time source and timers for deadlines, pauses, attempt time limits, the rate limiter and token lifetimes.
   * Clients on the same clock share rate limiters and tokens. @default the real clock
   */
  clock?: ClientClock;
}

/** Names an option in a hint, given its path (`apiUrl`, `auth.clientId`). */
export type DescribeSetting = (optionPath: string) => string;

/** The default {@link DescribeSetting}: "the `apiUrl` option". */
export function describeOptionPath(optionPath: string): string {
  return `the \`${optionPath}\` option`;
}

/** Client options with every default applied and every value checked. */
export interface ResolvedClientOptions {
  /** Base URL API paths are appended to, without a trailing `/` or `/api`. */
  apiBaseUrl: string;
  /** `protocol//host:port` of the API, the key of the process-wide rate limiter. */
  apiOrigin: string;
  auth: PlumeAuth;
  maxRequestsPerSecond: number;
  windowLimit: number;
  windowMs: number;
  maxConcurrency: number;
  timeoutMs: number;
  deadlineMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  allowInsecureHttp: boolean;
  caCertificate?: string;
  debug: boolean;
  logger: (line: string) => void;
  describeSetting: DescribeSetting;
  clock: ClientClock;
}

/** The defaults, in one place. */
export const CLIENT_DEFAULTS = Object.freeze({
  maxRequestsPerSecond: 6,
  windowLimit: 1800,
  windowMs: 300_000,
  maxConcurrency: 10,
  timeoutMs: 30_000,
  deadlineMs: 120_000,
  maxRetries: 5,
  retryBaseDelayMs: 1_000,
  retryMaxDelayMs: 30_000,
  allowInsecureHttp: false,
});

type NumericOption = Exclude<keyof typeof CLIENT_DEFAULTS, "allowInsecureHttp">;

/** Lower bound and whether a whole number is required, per numeric option. */
const NUMERIC_RULES: Record<NumericOption, { min: number; integer: boolean; minText: string }> = {
  maxRequestsPerSecond: { min: Number.MIN_VALUE, integer: false, minText: "greater than 0" },
  windowLimit: { min: 1, integer: true, minText: "a whole number of at least 1" },
  windowMs: { min: 1, integer: true, minText: "a whole number of milliseconds, at least 1" },
  maxConcurrency: { min: 1, integer: true, minText: "a whole number of at least 1" },
  timeoutMs: { min: 1, integer: true, minText: "a whole number of milliseconds, at least 1" },
  deadlineMs: { min: 1, integer: true, minText: "a whole number of milliseconds, at least 1" },
  maxRetries: { min: 0, integer: true, minText: "a whole number of at least 0" },
  retryBaseDelayMs: { min: 0, integer: true, minText: "a whole number of milliseconds, at least 0" },
  retryMaxDelayMs: { min: 0, integer: true, minText: "a whole number of milliseconds, at least 0" },
};

/**
 * Applies the defaults and validates every option, throwing one `PlumeConfigError` that lists every
 * problem (`problems: {code, path, message}[]`, the path being the option's). Messages never contain the
 * value of a secret.
 */
export function resolveClientOptions(options: PlumeClientOptions): ResolvedClientOptions {
  const problems: Problem[] = [];
  const report: Report = (path, code, message) => {
    problems.push({ code, path, message });
  };
  const given = (options ?? {}) as unknown as Record<string, unknown>;

  const allowInsecureHttp = readBoolean(given.allowInsecureHttp, "allowInsecureHttp", report) ?? false;
  const api = readUrl(given.apiUrl, "apiUrl", API_URL_EXAMPLE, allowInsecureHttp, report);
  const auth = readAuth(given.auth, allowInsecureHttp, report);

  const numbers = {} as Record<NumericOption, number>;
  for (const option of Object.keys(NUMERIC_RULES) as NumericOption[]) {
    numbers[option] =
      readNumber(given[option], option, NUMERIC_RULES[option], report) ?? CLIENT_DEFAULTS[option];
  }
  if (numbers.retryMaxDelayMs < numbers.retryBaseDelayMs) {
    report("retryMaxDelayMs", "too-small", "must be at least retryBaseDelayMs");
  }

  const caCertificate = readCertificate(given.caCertificate, report);
  const debug = readBoolean(given.debug, "debug", report) ?? false;
  let logger = defaultLogger;
  if (given.logger !== undefined) {
    if (typeof given.logger === "function") logger = given.logger as (line: string) => void;
    else report("logger", "not-a-function", "must be a function taking one line of text");
  }
  let describeSetting = describeOptionPath;
  if (given.describeSetting !== undefined) {
    if (typeof given.describeSetting === "function")
      describeSetting = given.describeSetting as DescribeSetting;
    else report("describeSetting", "not-a-function", "must be a function from an option path to its name");
  }

  let clock = systemClientClock;
  if (given.clock !== undefined) {
    const candidate = given.clock as Partial<ClientClock> | null;
    const isClock = ["now", "setTimer", "wallNow"].every(
      (method) => typeof (candidate as Record<string, unknown> | null)?.[method] === "function",
    );
    if (isClock) clock = candidate as ClientClock;
    else report("clock", "not-a-clock", "must have now(), setTimer(callback, ms) and wallNow() methods");
  }

  if (problems.length > 0 || !api || !auth) throw new PlumeConfigError(problems);
  return {
    apiBaseUrl: api.baseUrl,
    apiOrigin: api.origin,
    auth,
    ...numbers,
    allowInsecureHttp,
    caCertificate,
    debug,
    logger,
    describeSetting,
    clock,
  };
}

function defaultLogger(line: string): void {
  process.stderr.write(line + "\n");
}

/** Records one problem of the option at `path`. */
type Report = (path: string, code: string, message: string) => void;

/** What `apiUrl` holds, for the message when it is missing. */
const API_URL_EXAMPLE =
  "the URL of the Plume host, e.g. https://piranha-gamma.prod.us-west-2.aws.plumenet.io";

/** What `auth.tokenUrl` holds, for the message when it is missing. */
const TOKEN_URL_EXAMPLE =
  "the URL of Plume's OAuth2 token endpoint, e.g. https://external.sso.plume.com/oauth2/<cloud-id>/v1/token";

function readNumber(
  value: unknown,
  setting: string,
  rule: { min: number; integer: boolean; minText: string },
  report: Report,
): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "string" ? Number(value.trim()) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) {
    report(setting, "not-a-number", `must be a number, got ${describe(value)}`);
    return undefined;
  }
  if (number < rule.min || (rule.integer && !Number.isInteger(number))) {
    report(setting, "too-small", `must be ${rule.minText}, got ${number}`);
    return undefined;
  }
  return number;
}

function readBoolean(value: unknown, setting: string, report: Report): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(text)) return true;
    if (["false", "0", "no", "off"].includes(text)) return false;
  }
  report(setting, "not-a-boolean", `must be true or false, got ${describe(value)}`);
  return undefined;
}

/** Describes a non-secret value for a problem message. */
function describe(value: unknown): string {
  if (typeof value === "string") return quoteForMessage(value);
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

/** Whether `hostname` (as URL parsing gives it) is a loopback address. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function readUrl(
  value: unknown,
  setting: string,
  what: string,
  allowInsecureHttp: boolean,
  report: Report,
): { baseUrl: string; origin: string; url: URL } | undefined {
  if (typeof value !== "string" || value.trim() === "") {
    report(setting, "required", `is required: ${what}`);
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    report(setting, "invalid-url", `is not a valid URL: ${describe(value)}`);
    return undefined;
  }
  let valid = true;
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    report(setting, "unsupported-protocol", `must start with https://, got ${url.protocol}//`);
    valid = false;
  } else if (url.protocol === "http:" && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    report(
      setting,
      "insecure-http",
      `must use https:// (plain http:// is only allowed to a loopback host, or with allowInsecureHttp: true): ${url.origin}`,
    );
    valid = false;
  }
  if (url.username || url.password) {
    report(
      setting,
      "credentials-in-url",
      "must not contain a user name or password; credentials belong in the auth settings",
    );
    valid = false;
  }
  if (url.search || url.hash) {
    report(setting, "query-in-url", "must not contain a query string or fragment");
    valid = false;
  }
  if (!valid) return undefined;
  const path = url.pathname.replace(/\/+$/, "");
  const basePath = setting === "apiUrl" ? path.replace(/\/api$/i, "") : path;
  return { baseUrl: url.origin + basePath, origin: url.origin, url };
}

function readText(value: unknown, setting: string, what: string, report: Report): string | undefined {
  if (typeof value !== "string" || value.trim() === "") {
    report(setting, "required", `is required: ${what}`);
    return undefined;
  }
  if (/[\r\n\0]/.test(value)) {
    report(setting, "control-characters", "must not contain line breaks or NUL characters");
    return undefined;
  }
  return value;
}

function readAuth(value: unknown, allowInsecureHttp: boolean, report: Report): PlumeAuth | undefined {
  if (value === null || typeof value !== "object") {
    report("auth", "required", 'is required: { kind: "oauth" | "login" | "token", ... }');
    return undefined;
  }
  const auth = value as Record<string, unknown>;
  switch (auth.kind) {
    case "oauth": {
      const tokenUrl = readUrl(auth.tokenUrl, "auth.tokenUrl", TOKEN_URL_EXAMPLE, allowInsecureHttp, report);
      const clientId = readText(auth.clientId, "auth.clientId", "the OAuth2 client id", report);
      const clientSecret = readText(
        auth.clientSecret,
        "auth.clientSecret",
        "the OAuth2 client secret",
        report,
      );
      const partnerId = readText(auth.partnerId, "auth.partnerId", "the Plume partner id", report);
      if (!tokenUrl || !clientId || !clientSecret || !partnerId) return undefined;
      return { kind: "oauth", tokenUrl: tokenUrl.url.href, clientId, clientSecret, partnerId };
    }
    case "login": {
      const email = readText(auth.email, "auth.email", "the admin user's e-mail", report);
      const password = readText(auth.password, "auth.password", "the admin user's password", report);
      if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email.trim())) {
        report("auth.email", "invalid-email", `must be an e-mail address, got ${describe(email)}`);
        return undefined;
      }
      if (!email || !password) return undefined;
      return { kind: "login", email: email.trim(), password };
    }
    case "token": {
      const token = readText(auth.token, "auth.token", "the Authorization header value", report);
      if (!token) return undefined;
      return { kind: "token", token: token.trim() };
    }
    default:
      report(
        "auth.kind",
        "invalid-auth-kind",
        `must be "oauth", "login" or "token", got ${describe(auth.kind)}`,
      );
      return undefined;
  }
}

function readCertificate(value: unknown, report: Report): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !value.includes("-----BEGIN CERTIFICATE-----")) {
    report(
      "caCertificate",
      "invalid-certificate",
      "must be PEM text starting with -----BEGIN CERTIFICATE----- (pass the file's contents)",
    );
    return undefined;
  }
  try {
    new X509Certificate(value);
  } catch {
    report("caCertificate", "invalid-certificate", "is not a readable PEM certificate");
    return undefined;
  }
  return value;
}
