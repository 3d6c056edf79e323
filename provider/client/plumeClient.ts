// The Plume HTTP client: one method per API action, and one private request path that applies
// authentication, JSON, timeouts, the shared rate limiter, retries and error mapping.
import axios, { type AxiosInstance } from "axios";
import { performance } from "node:perf_hooks";
import { processTokenSource, type TokenHttpRequest, type TokenSource } from "./auth";
import { DebugLog } from "./debugLog";
import { errorForFailure, unexpectedBodyError, type FailureContext } from "./errorMapping";
import { PlumeError, PlumeNotFoundError, PlumeUnexpectedResponseError, PlumeValidationError } from "./errors";
import { parseJsonBody, isFirewallRejection, type AttemptOutcome } from "./httpOutcome";
import {
  LOCATION_PROFILES,
  plumeLocationSchema,
  type LocationPatch,
  type LocationProfile,
  type PlumeLocation,
} from "./location";
import { resolveClientOptions, type PlumeClientOptions, type ResolvedClientOptions } from "./options";
import { ProxyRoutes, proxyOutcome } from "./proxy";
import { processRateLimiter, type LimiterSnapshot, type RateLimiter } from "./rateLimiter";
import { backoffDelayMs, decideRetry } from "./retry";
import { settingSources } from "./settingNames";
import { USER_AGENT } from "./userAgent";

/** Counters of one client, for tests and the benchmark. */
export interface ClientStats {
  /** Calls made through the public methods. */
  requests: number;
  /** HTTP attempts to the API for those calls (first attempts and retries; token requests excluded). */
  attempts: number;
  /** API attempts beyond the first of each call (`attempts - requests`). */
  retries: number;
  /** 401s answered by fetching a fresh token and retrying once. */
  reauthentications: number;
  /** HTTP attempts to the token endpoint or the admin login made by this client. */
  tokenRequests: number;
  /** Firewall 403s seen (API and login). */
  firewallRejections: number;
  /** 429s seen. */
  throttled429: number;
  /** Attempts that outlived their time limit. */
  timeouts: number;
  /** Attempts that got no response (refused, reset, DNS, TLS). */
  networkErrors: number;
  /** 5xx responses seen. */
  serverErrors: number;
  /** Calls that ended in an error. */
  failures: number;
  /** Total time calls waited for the rate limiter, in milliseconds. */
  queuedMs: number;
  /** Longest single wait for the rate limiter, in milliseconds. */
  maxQueuedMs: number;
  /** The shared rate limiter's state (shared with every client of the same API host). */
  limiter: LimiterSnapshot;
}

export type { LocationProfile, PlumeLocation, LocationPatch };

/** One request, as the private request path sees it. */
interface RequestSpec {
  method: "GET" | "PATCH" | "POST";
  url: string;
  /** Path for logs and errors: no host, no query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  purpose: FailureContext["purpose"];
  /** Whether it goes to the API host, and so through the shared rate limiter. */
  isApiHost: boolean;
  customerId?: string;
  locationId?: string;
  sentFields?: readonly string[];
}

/**
 * A client of the Plume Cloud API for locations. Build it with `PlumeClientOptions`; invalid options throw a
 * `PlumeConfigError` listing every problem. Every failure is a `PlumeError` subclass with a hint.
 *
 * All clients of a process share one rate limiter per API host, one token per set of credentials and one
 * pool of keep-alive connections, so building a client per call is cheap and stays within Plume's limits.
 */
export class PlumeClient {
  /** The options in force, defaults applied. */
  readonly options: ResolvedClientOptions;
  private readonly http: AxiosInstance;
  private readonly limiter: RateLimiter;
  private readonly tokens: TokenSource;
  private readonly routes: ProxyRoutes;
  private readonly log: DebugLog;
  private readonly counters: Omit<ClientStats, "limiter">;

  /** Validates `options` (see `resolveClientOptions`) and sets the client up; sends nothing yet. */
  constructor(options: PlumeClientOptions) {
    this.options = resolveClientOptions(options);
    const resolved = this.options;
    this.limiter = processRateLimiter(resolved.apiOrigin, {
      maxRequestsPerSecond: resolved.maxRequestsPerSecond,
      windowLimit: resolved.windowLimit,
      windowMs: resolved.windowMs,
      maxConcurrency: resolved.maxConcurrency,
    });
    this.tokens = processTokenSource(resolved.auth, resolved.apiBaseUrl);
    this.log = new DebugLog(resolved.debug, resolved.logger, () => this.secrets());
    // Proxies from the environment, read once: the API and the token URL each get their route.
    const urls = [resolved.apiBaseUrl, ...(resolved.auth.kind === "oauth" ? [resolved.auth.tokenUrl] : [])];
    this.routes = new ProxyRoutes(urls, resolved.caCertificate);
    for (const line of this.routes.describe()) this.log.event(line);
    this.http = axios.create({
      // The agents are chosen per request; axios's own proxy support would not tunnel TLS.
      proxy: false,
      maxRedirects: 0,
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: 64 * 1024 * 1024,
    });
    this.counters = {
      requests: 0,
      attempts: 0,
      retries: 0,
      reauthentications: 0,
      tokenRequests: 0,
      firewallRejections: 0,
      throttled429: 0,
      timeouts: 0,
      networkErrors: 0,
      serverErrors: 0,
      failures: 0,
      queuedMs: 0,
      maxQueuedMs: 0,
    };
  }

  /**
   * One location of a customer. Throws `PlumeNotFoundError` only when Plume confirms that the location does not
   * exist (see `confirmNotFound`); a 404 from something that is not Plume's API is a
   * `PlumeUnexpectedResponseError` naming the URL.
   */
  async getLocation(customerId: string, locationId: string): Promise<PlumeLocation> {
    const path = locationPath(customerId, locationId);
    const body = await this.confirmingNotFound(customerId, locationId, () =>
      this.callApi({ method: "GET", path, customerId, locationId }),
    );
    return this.toLocation(body, "GET", path);
  }

  /**
   * Every location of a customer. Plume answers this for every customer it knows (401 for one it does not
   * show these credentials), so a 404 here means the URL is not Plume's API.
   */
  async listLocations(customerId: string): Promise<PlumeLocation[]> {
    const path = locationPath(customerId);
    let body: unknown;
    try {
      body = await this.callApi({ method: "GET", path, customerId });
    } catch (error) {
      if (error instanceof PlumeNotFoundError)
        throw this.notPlumeError(
          error,
          customerId,
          "Plume answers a customer's list of locations, never 404",
        );
      throw error;
    }
    if (!Array.isArray(body))
      throw unexpectedBodyError(this.failureContext("GET", path, "api", 1), 200, "a list of locations");
    return body.map((item) => this.toLocation(item, "GET", path));
  }

  /**
   * Sets a location's `serviceId` (and `profile`, `name` when given); returns the updated location. Values are
   * checked before anything is sent. A 404 is confirmed as for `getLocation`.
   */
  async patchLocation(customerId: string, locationId: string, patch: LocationPatch): Promise<PlumeLocation> {
    const path = locationPath(customerId, locationId);
    const body = validatedPatch(patch, path);
    const result = await this.confirmingNotFound(customerId, locationId, () =>
      this.callApi({
        method: "PATCH",
        path,
        customerId,
        locationId,
        body: JSON.stringify(body),
        sentFields: Object.keys(body),
      }),
    );
    return this.toLocation(result, "PATCH", path);
  }

  /** Runs a call on one location, confirming any 404 it gets before it may mean "the location is gone". */
  private async confirmingNotFound<T>(
    customerId: string,
    locationId: string,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof PlumeNotFoundError)) throw error;
      throw await this.confirmNotFound(error, customerId, locationId);
    }
  }

  /**
   * A 404 for a location proves little by itself: a wrong path prefix in `apiUrl`, a web server or a proxy's
   * error page answer 404 to every path, and Plume's 404 body is not documented. So the customer's list of
   * locations is read: only when it is a list of locations without this one is the location gone (a
   * `PlumeNotFoundError`). Any other answer is an error naming the URL, and a failure of the list itself (a
   * 401, the network) is thrown as it is. Never concludes "gone" from anything but Plume's own list.
   */
  private async confirmNotFound(
    notFound: PlumeNotFoundError,
    customerId: string,
    locationId: string,
  ): Promise<unknown> {
    const path = locationPath(customerId);
    const listUrl = this.options.apiBaseUrl + path;
    let listed: unknown;
    try {
      listed = await this.callApi({ method: "GET", path, customerId });
    } catch (error) {
      if (error instanceof PlumeNotFoundError)
        return this.notPlumeError(notFound, customerId, `and so did ${listUrl}`);
      return error;
    }
    const ids = Array.isArray(listed) ? listed.map(locationIdOf) : undefined;
    if (ids === undefined || ids.includes(undefined)) {
      return this.notPlumeError(
        notFound,
        customerId,
        `and ${listUrl} did not answer with a list of locations`,
      );
    }
    if (ids.includes(locationId)) {
      return this.notPlumeError(notFound, customerId, `yet ${listUrl} lists location ${locationId}`);
    }
    return new PlumeNotFoundError("Plume does not know this location", {
      method: notFound.method,
      path: notFound.path,
      url: notFound.url,
      status: 404,
      plumeMessage: notFound.plumeMessage,
      attempts: notFound.attempts,
      hint:
        `Plume lists ${ids.length} location${ids.length === 1 ? "" : "s"} for customer ${customerId}, and ` +
        `${locationId} is not one of them: the location was deleted, or the locationId is wrong.`,
    });
  }

  /** The error for a 404 that Plume's own list of locations does not confirm. */
  private notPlumeError(notFound: PlumeError, customerId: string, evidence: string): PlumeError {
    return new PlumeUnexpectedResponseError("This does not look like Plume's API", {
      method: notFound.method,
      path: notFound.path,
      url: notFound.url,
      status: notFound.status,
      attempts: notFound.attempts,
      hint:
        `${notFound.url ?? notFound.path} answered 404, ${evidence}: a 404 counts as "location gone" only when ` +
        `Plume's list of customer ${customerId}'s locations confirms it. Check that apiUrl ` +
        `(${settingSources("apiUrl")}) is the Plume API host with no extra path (in use: ${this.options.apiBaseUrl}), ` +
        `that no proxy or web server answers in its place, and that customer ${customerId} is right. Nothing was changed.`,
    });
  }

  /**
   * Makes sure Plume accepts the credentials without touching any location: holds a token, fetching one (the
   * OAuth token request, or the admin login through the rate limiter) unless the process already holds a
   * usable one. Resolves `true` once Plume issued a token, `false` for a ready token, which only a location
   * call could check. Throws the `PlumeTokenError` (or network error) a location call would.
   */
  async authenticate(): Promise<boolean> {
    if (!this.tokens.canRenew) return false;
    await this.tokens.authorization(this.sendTokenRequest);
    return true;
  }

  /** Counters of this client, plus the shared limiter's state. */
  stats(): ClientStats {
    return { ...this.counters, limiter: this.limiter.snapshot() };
  }

  private async callApi(call: {
    method: "GET" | "PATCH";
    path: string;
    customerId: string;
    locationId?: string;
    body?: string;
    sentFields?: readonly string[];
  }): Promise<unknown> {
    this.counters.requests++;
    try {
      return await this.send({
        ...call,
        url: this.options.apiBaseUrl + call.path,
        headers: call.body === undefined ? {} : { "Content-Type": "application/json" },
        purpose: "api",
        isApiHost: true,
      });
    } catch (error) {
      this.counters.failures++;
      throw error;
    }
  }

  /** The token request sender handed to the token source: same path, no API authentication. */
  private readonly sendTokenRequest = (request: TokenHttpRequest): Promise<unknown> =>
    this.send({
      method: request.method,
      url: request.url,
      path: request.isApiHost ? "/api/Customers/login" : new URL(request.url).pathname,
      headers: request.headers,
      body: request.body,
      purpose: request.isApiHost ? "login" : "oauthToken",
      isApiHost: request.isApiHost,
    });

  /**
   * The one request path. Retries per `retry.ts`; a 401 gets one fresh token and one retry. The deadline
   * counts attempts and backoff pauses, not time waiting for the shared rate limiter or for a token.
   */
  private async send(spec: RequestSpec): Promise<unknown> {
    const options = this.options;
    const isApi = spec.purpose === "api";
    let deadlineAt = now() + options.deadlineMs;
    let attempts = 0;
    let retriesUsed = 0;
    let reauthenticated = false;
    let tokenLapses = 0;

    for (;;) {
      // Make sure a token exists before queueing, so a burst waits for one token instead of queueing
      // without one; then read it again once the slot is granted, because a call can wait in the queue
      // for longer than a token lives (a large fleet run, a long firewall hold).
      let fetched: string | undefined;
      if (isApi) {
        const waitStart = now();
        fetched = await this.tokens.authorization(this.sendTokenRequest);
        deadlineAt += now() - waitStart;
      }
      const slot = spec.isApiHost
        ? await this.limiter.acquire({ urgent: spec.purpose === "login" })
        : undefined;
      if (slot) {
        deadlineAt += slot.queuedMs;
        this.counters.queuedMs += slot.queuedMs;
        this.counters.maxQueuedMs = Math.max(this.counters.maxQueuedMs, slot.queuedMs);
      }
      const usable = isApi ? this.tokens.usableAuthorization(this.sendTokenRequest) : undefined;
      if (isApi && usable === undefined && tokenLapses < 2) {
        // The token lapsed while we queued. Do not wait for a new one holding a slot (a login needs a slot
        // itself): give it back, fetch the token, and queue again. Bounded, in case tokens live shorter
        // than a queue wait: then the freshest token is sent and a 401 handled as usual.
        tokenLapses++;
        slot?.release();
        continue;
      }
      const authorization = usable ?? fetched;

      attempts++;
      if (isApi) {
        this.counters.attempts++;
        if (attempts > 1) this.counters.retries++;
      } else {
        this.counters.tokenRequests++;
      }
      const timeoutMs = Math.max(1, Math.min(options.timeoutMs, deadlineAt - now()));
      const started = now();
      let outcome: AttemptOutcome;
      try {
        outcome = await this.attempt(spec, authorization, timeoutMs);
      } finally {
        slot?.release();
      }
      this.count(outcome);
      this.log.attempt({
        method: spec.method,
        path: spec.path,
        result:
          outcome.kind === "response"
            ? outcome.status
            : outcome.kind === "timeout"
              ? "timeout"
              : (outcome.code ?? "network error"),
        attempt: attempts,
        durationMs: now() - started,
        queuedMs: slot?.queuedMs,
      });
      if (spec.isApiHost && outcome.kind === "response" && !isFirewallRejection(outcome)) {
        this.limiter.reportAccepted();
      }

      if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
        if (outcome.json === undefined) {
          throw unexpectedBodyError(
            this.failureContext(spec.method, spec.path, spec.purpose, attempts, spec),
            outcome.status,
            "JSON",
          );
        }
        return outcome.json;
      }

      const fail = (stoppedByDeadline = false): never => {
        throw errorForFailure(outcome, {
          ...this.failureContext(spec.method, spec.path, spec.purpose, attempts, spec),
          stoppedByDeadline,
        });
      };
      const decision = decideRetry(outcome, !isApi);
      switch (decision.action) {
        case "fail":
          return fail();
        case "reauthenticate":
          if (!this.tokens.canRenew || reauthenticated || authorization === undefined) return fail();
          reauthenticated = true;
          this.counters.reauthentications++;
          this.tokens.invalidate(authorization);
          this.log.event(`${spec.method} ${spec.path}: 401, fetching a fresh token and retrying once`);
          continue;
        case "holdAll": {
          if (decision.reason === "firewall" && !spec.isApiHost) return fail();
          // Hold back every request first, even if this call gives up: the others must not hammer a
          // closed firewall (it counts refused calls too) or a server that asked us to slow down.
          const pauseMs =
            decision.reason === "firewall"
              ? this.limiter.reportFirewallRejection()
              : Math.min(
                  options.windowMs,
                  decision.retryAfterMs ??
                    backoffDelayMs(retriesUsed + 1, options.retryBaseDelayMs, options.retryMaxDelayMs),
                );
          const what = decision.reason === "firewall" ? "firewall 403" : "429";
          if (spec.isApiHost) {
            if (decision.reason !== "firewall") this.limiter.holdBack(pauseMs);
            this.log.event(
              `${what}: holding every request to ${options.apiOrigin} for ${Math.round(pauseMs)} ms`,
            );
          }
          if (retriesUsed >= options.maxRetries) return fail();
          retriesUsed++;
          if (!spec.isApiHost) {
            // The token endpoint asked us to slow down: a pause it demanded, so not charged to the deadline.
            await sleep(pauseMs);
            deadlineAt += pauseMs;
          }
          continue;
        }
        case "backoff": {
          if (retriesUsed >= options.maxRetries) return fail();
          retriesUsed++;
          // A Retry-After (a 503 saying when to come back) is honoured up to retryMaxDelayMs.
          const pauseMs = Math.max(
            backoffDelayMs(retriesUsed, options.retryBaseDelayMs, options.retryMaxDelayMs),
            Math.min(decision.retryAfterMs ?? 0, options.retryMaxDelayMs),
          );
          if (now() + pauseMs >= deadlineAt) return fail(true);
          await sleep(pauseMs);
          continue;
        }
      }
    }
  }

  /** One HTTP attempt; never throws, every result is an outcome. */
  private async attempt(
    spec: RequestSpec,
    authorization: string | undefined,
    timeoutMs: number,
  ): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const route = this.routes.routeFor(spec.url);
    try {
      const response = await this.http.request<string>({
        method: spec.method,
        url: spec.url,
        data: spec.body,
        signal: controller.signal,
        httpAgent: route.agents.httpAgent,
        httpsAgent: route.agents.httpsAgent,
        headers: {
          Accept: "application/json",
          "User-Agent": USER_AGENT,
          ...spec.headers,
          ...(authorization === undefined ? {} : { Authorization: authorization }),
        },
      });
      const refusedByProxy = proxyOutcome(route, { status: response.status });
      if (refusedByProxy) return refusedByProxy;
      const bodyText = typeof response.data === "string" ? response.data : "";
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers ?? {})) {
        if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
      }
      return { kind: "response", status: response.status, headers, bodyText, json: parseJsonBody(bodyText) };
    } catch (error) {
      if (timedOut) return { kind: "timeout", timeoutMs };
      const atProxy = proxyOutcome(route, { error });
      if (atProxy) return atProxy;
      const failure = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
      const code = typeof failure.code === "string" ? failure.code : undefined;
      const causeCode = typeof failure.cause?.code === "string" ? failure.cause.code : undefined;
      return {
        kind: "network",
        code:
          code === "ERR_BAD_RESPONSE" || code === "ERR_NETWORK" || code === undefined
            ? (causeCode ?? code)
            : code,
        message: typeof failure.message === "string" ? failure.message : "request failed",
      };
    } finally {
      clearTimeout(timer);
    }
  }

  private count(outcome: AttemptOutcome): void {
    if (outcome.kind === "timeout") this.counters.timeouts++;
    else if (outcome.kind === "network") this.counters.networkErrors++;
    else if (isFirewallRejection(outcome)) this.counters.firewallRejections++;
    else if (outcome.status === 429) this.counters.throttled429++;
    else if (outcome.status >= 500) this.counters.serverErrors++;
  }

  private failureContext(
    method: string,
    path: string,
    purpose: FailureContext["purpose"],
    attempts: number,
    spec?: RequestSpec,
  ): FailureContext {
    return {
      method,
      path,
      url: spec?.url ?? this.options.apiBaseUrl + path,
      attempts,
      purpose,
      auth: this.options.auth,
      customerId: spec?.customerId,
      locationId: spec?.locationId,
      sentFields: spec?.sentFields,
      windowLimit: this.options.windowLimit,
      windowMs: this.options.windowMs,
      timeoutMs: this.options.timeoutMs,
      deadlineMs: this.options.deadlineMs,
      stoppedByDeadline: false,
      secrets: this.secrets(),
    };
  }

  private toLocation(body: unknown, method: string, path: string): PlumeLocation {
    const parsed = plumeLocationSchema.safeParse(body);
    if (!parsed.success)
      throw unexpectedBodyError(this.failureContext(method, path, "api", 1), 200, "a location");
    const location = { ...parsed.data } as Record<string, unknown>;
    for (const field of ["serviceId", "profile"]) if (location[field] === null) delete location[field];
    return location as PlumeLocation;
  }

  /** Every secret this client knows, to mask in logs and messages. */
  private secrets(): string[] {
    const auth = this.options.auth;
    const own =
      auth.kind === "oauth" ? [auth.clientSecret] : auth.kind === "login" ? [auth.password] : [auth.token];
    return [...own, ...this.tokens.secrets()];
  }
}

/** The `id` of one item of a list of locations, or undefined when the item is not a location. */
function locationIdOf(item: unknown): string | undefined {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return undefined;
  const id = (item as Record<string, unknown>).id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** `/api/Customers/<customerId>/locations[/<locationId>]`, each id one encoded path segment. */
function locationPath(customerId: string, locationId?: string): string {
  const customer = pathSegment("customerId", customerId);
  return locationId === undefined
    ? `/api/Customers/${customer}/locations`
    : `/api/Customers/${customer}/locations/${pathSegment("locationId", locationId)}`;
}

/**
 * `value` encoded as a single path segment. `.` and `..` are refused: URL normalisation would turn them into
 * a different path, and no Plume id looks like that.
 */
function pathSegment(field: string, value: unknown): string {
  let encoded: string | undefined;
  try {
    encoded = typeof value === "string" ? encodeURIComponent(value) : undefined;
  } catch {
    // A lone UTF-16 surrogate cannot be encoded: no id holds one.
  }
  if (
    typeof value !== "string" ||
    encoded === undefined ||
    value.trim() === "" ||
    value === "." ||
    value === ".."
  ) {
    const shown = typeof value === "string" ? shorten(value) : String(value);
    throw new PlumeValidationError(`Invalid ${field} ${shown}`, {
      field,
      hint: `${field} must be a non-empty Plume id of valid Unicode text (not "." or ".."); check the value in your fleet or program.`,
    });
  }
  return encoded;
}

/** The PATCH body, checked before anything is sent. */
function validatedPatch(patch: LocationPatch, path: string): Record<string, string> {
  const problems: { field: string; message: string }[] = [];
  const given = (patch ?? {}) as unknown as Record<string, unknown>;
  if (typeof given.serviceId !== "string" || given.serviceId === "") {
    problems.push({ field: "serviceId", message: "serviceId is required and must be non-empty text" });
  }
  if (given.profile !== undefined && !LOCATION_PROFILES.includes(given.profile as LocationProfile)) {
    problems.push({
      field: "profile",
      message: `profile must be "auto" or "smallbusiness", got ${typeof given.profile === "string" ? shorten(given.profile) : typeof given.profile}`,
    });
  }
  if (given.name !== undefined && (typeof given.name !== "string" || given.name.trim() === "")) {
    problems.push({ field: "name", message: "name, when given, must be non-empty text" });
  }
  if (problems.length > 0) {
    throw new PlumeValidationError(`Invalid change for PATCH ${path}`, {
      field: problems.map((problem) => problem.field).join(", "),
      hint: problems.map((problem) => problem.message).join("; ") + ". Nothing was sent to Plume.",
    });
  }
  const body: Record<string, string> = { serviceId: given.serviceId as string };
  if (given.profile !== undefined) body.profile = given.profile as string;
  if (given.name !== undefined) body.name = given.name as string;
  return body;
}

/** A user-given value for a message: quoted, and cut short so a huge value cannot flood the terminal. */
function shorten(value: string): string {
  return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
}

function now(): number {
  return performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
