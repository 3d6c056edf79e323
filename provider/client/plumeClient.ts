// The Plume HTTP client: one method per API action, and one private request path that applies
// authentication, JSON, timeouts, the shared rate limiter, retries and error mapping.
import axios, { type AxiosInstance } from "axios";
import { processTokenSource, type TokenHttpRequest, type TokenSource } from "./auth";
import { DebugLog } from "./debugLog";
import { errorForFailure, unexpectedBodyError, type FailureContext } from "./errorMapping";
import { PlumeError, PlumeNotFoundError, PlumeUnexpectedResponseError, PlumeValidationError } from "./errors";
import { parseJsonBody, isFirewallRejection, type AttemptOutcome, type NetworkOutcome } from "./httpOutcome";
import {
  LOCATION_PROFILES,
  plumeLocationSchema,
  type LocationPatch,
  type LocationProfile,
  type PlumeLocation,
} from "./location";
import { resolveClientOptions, type PlumeClientOptions, type ResolvedClientOptions } from "./options";
import { ProxyRoutes, proxyOutcome } from "./proxy";
import { quoteForMessage } from "./quote";
import { systemClientClock, sleep, type ClientClock } from "./clock";
import { processRateLimiter, RateLimiter, type LimiterSlot, type RateLimits } from "./rateLimiter";
import { backoffDelayMs, decideRetry, type RetryDecision } from "./retry";
import { USER_AGENT } from "./userAgent";

export type { LocationProfile, PlumeLocation, LocationPatch };

/** The request an error is about: enough to name it, and the location it concerns. */
interface FailureTarget {
  method: string;
  /** Path for logs and errors: no host, no query. */
  path: string;
  /** @default the API base URL followed by `path` */
  url?: string;
  purpose: FailureContext["purpose"];
  customerId?: string;
  locationId?: string;
  sentFields?: readonly string[];
}

/** Where one call stands between its attempts. */
interface CallProgress {
  attempts: number;
  /** Retries taken for retryable failures (a 401's one fresh token is not one). */
  retriesUsed: number;
  /** Whether the one fresh token after a 401 was already fetched. */
  reauthenticated: boolean;
  /** Times the token lapsed while the call queued (bounded at 2). */
  tokenLapses: number;
  /** When the call gives up, on the client's clock; moved on by time not charged to the deadline. */
  deadlineAt: number;
}

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
  private readonly clock: ClientClock;

  /** Validates `options` (see `resolveClientOptions`) and sets the client up; sends nothing yet. */
  constructor(options: PlumeClientOptions) {
    this.options = resolveClientOptions(options);
    const resolved = this.options;
    this.clock = resolved.clock;
    this.limiter = sharedRateLimiter(resolved.apiOrigin, this.clock, {
      maxRequestsPerSecond: resolved.maxRequestsPerSecond,
      windowLimit: resolved.windowLimit,
      windowMs: resolved.windowMs,
      maxConcurrency: resolved.maxConcurrency,
    });
    this.tokens = processTokenSource(resolved.auth, resolved.apiBaseUrl, this.clock);
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
      throw unexpectedBodyError(
        this.failureContext({ method: "GET", path, purpose: "api" }, 1),
        200,
        "a list of locations",
      );
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
        `Plume's list of customer ${customerId}'s locations confirms it. Check that ` +
        `${this.options.describeSetting("apiUrl")} is the Plume API host with no extra path (in use: ${this.options.apiBaseUrl}), ` +
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
    await this.tokens.authorization(this.sendTokenRequest, this.options.describeSetting);
    return true;
  }

  private async callApi(call: {
    method: "GET" | "PATCH";
    path: string;
    customerId: string;
    locationId?: string;
    body?: string;
    sentFields?: readonly string[];
  }): Promise<unknown> {
    return this.send({
      ...call,
      url: this.options.apiBaseUrl + call.path,
      headers: call.body === undefined ? {} : { "Content-Type": "application/json" },
      purpose: "api",
      isApiHost: true,
    });
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
   * The one request path: a slot with a token, one attempt, and the retry policy's decision, until the call
   * succeeds or the policy gives up. The deadline counts attempts and backoff pauses, not time waiting for
   * the shared rate limiter or for a token.
   */
  private async send(spec: RequestSpec): Promise<unknown> {
    const call: CallProgress = {
      attempts: 0,
      retriesUsed: 0,
      reauthenticated: false,
      tokenLapses: 0,
      deadlineAt: this.clock.now() + this.options.deadlineMs,
    };
    for (;;) {
      const { slot, authorization } = await this.slotWithToken(spec, call);
      const outcome = await this.attemptInSlot(spec, call, slot, authorization);
      if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) {
        if (outcome.json === undefined) {
          throw unexpectedBodyError(this.failureContext(spec, call.attempts), outcome.status, "JSON");
        }
        return outcome.json;
      }
      await this.prepareRetry(outcome, spec, call, authorization);
    }
  }

  /**
   * A rate-limiter slot (API host only) and the token to send in it (API calls only). The token is fetched
   * before queueing, so a burst waits for one token instead of queueing without one; it is read again once
   * the slot is granted, because a call can wait in the queue for longer than a token lives (a large fleet
   * run, a long firewall hold). Time waiting for either is not charged to the deadline.
   */
  private async slotWithToken(
    spec: RequestSpec,
    call: CallProgress,
  ): Promise<{ slot?: LimiterSlot; authorization?: string }> {
    const needsToken = spec.purpose === "api";
    for (;;) {
      let fetched: string | undefined;
      if (needsToken) {
        const waitStart = this.clock.now();
        fetched = await this.tokens.authorization(this.sendTokenRequest, this.options.describeSetting);
        call.deadlineAt += this.clock.now() - waitStart;
      }
      const slot = spec.isApiHost
        ? await this.limiter.acquire({ urgent: spec.purpose === "login" })
        : undefined;
      if (slot) call.deadlineAt += slot.queuedMs;
      if (!needsToken) return { slot };
      const usable = this.tokens.usableAuthorization(this.sendTokenRequest, this.options.describeSetting);
      if (usable !== undefined || call.tokenLapses >= 2) return { slot, authorization: usable ?? fetched };
      // The token lapsed while we queued. Do not wait for a new one holding a slot (a login needs a slot
      // itself): give it back, fetch the token, and queue again. Bounded, in case tokens live shorter than
      // a queue wait: then the freshest token is sent and a 401 handled as usual.
      call.tokenLapses++;
      slot?.release();
    }
  }

  /** One attempt in its slot, logged; the slot is freed as soon as the answer (or the failure) is in. */
  private async attemptInSlot(
    spec: RequestSpec,
    call: CallProgress,
    slot: LimiterSlot | undefined,
    authorization: string | undefined,
  ): Promise<AttemptOutcome> {
    call.attempts++;
    const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs, call.deadlineAt - this.clock.now()));
    const started = this.clock.now();
    let outcome: AttemptOutcome;
    try {
      outcome = await this.attempt(spec, authorization, timeoutMs);
    } finally {
      slot?.release();
    }
    this.log.attempt({
      method: spec.method,
      path: spec.path,
      result:
        outcome.kind === "response"
          ? outcome.status
          : outcome.kind === "timeout"
            ? "timeout"
            : (outcome.code ?? "network error"),
      attempt: call.attempts,
      durationMs: this.clock.now() - started,
      queuedMs: slot?.queuedMs,
    });
    if (spec.isApiHost && outcome.kind === "response" && !isFirewallRejection(outcome)) {
      this.limiter.reportAccepted();
    }
    return outcome;
  }

  /**
   * Applies the retry policy (retry.ts) to a failed attempt: resolves once the call may try again (after
   * any pause it must take), throws the call's error when it gives up. A 401 gets one fresh token and one
   * retry.
   */
  private async prepareRetry(
    outcome: AttemptOutcome,
    spec: RequestSpec,
    call: CallProgress,
    authorization: string | undefined,
  ): Promise<void> {
    const decision = decideRetry(outcome, spec.purpose !== "api", this.clock.wallNow());
    switch (decision.action) {
      case "fail":
        throw this.callError(outcome, spec, call);
      case "reauthenticate":
        if (!this.tokens.canRenew || call.reauthenticated || authorization === undefined) {
          throw this.callError(outcome, spec, call);
        }
        call.reauthenticated = true;
        this.tokens.invalidate(authorization);
        this.log.event(`${spec.method} ${spec.path}: 401, fetching a fresh token and retrying once`);
        return;
      case "holdAll":
        return this.holdEveryRequest(decision, outcome, spec, call);
      case "backoff": {
        if (call.retriesUsed >= this.options.maxRetries) throw this.callError(outcome, spec, call);
        call.retriesUsed++;
        // A Retry-After (a 503 saying when to come back) is honoured up to retryMaxDelayMs.
        const { retryBaseDelayMs, retryMaxDelayMs } = this.options;
        const pauseMs = Math.max(
          backoffDelayMs(call.retriesUsed, retryBaseDelayMs, retryMaxDelayMs),
          Math.min(decision.retryAfterMs ?? 0, retryMaxDelayMs),
        );
        if (this.clock.now() + pauseMs >= call.deadlineAt) throw this.callError(outcome, spec, call, true);
        await sleep(this.clock, pauseMs);
        return;
      }
    }
  }

  /**
   * After a firewall 403 or a 429: holds back every request to the API host first, even if this call then
   * gives up, because the others must not hammer a closed firewall (it counts refused calls too) or a server
   * that asked us to slow down. A token endpoint's 429 pauses this call only, and that pause is not charged
   * to the deadline.
   */
  private async holdEveryRequest(
    decision: Extract<RetryDecision, { action: "holdAll" }>,
    outcome: AttemptOutcome,
    spec: RequestSpec,
    call: CallProgress,
  ): Promise<void> {
    const isFirewall = decision.reason === "firewall";
    if (isFirewall && !spec.isApiHost) throw this.callError(outcome, spec, call);
    const { windowMs, retryBaseDelayMs, retryMaxDelayMs } = this.options;
    const pauseMs = isFirewall
      ? this.limiter.reportFirewallRejection()
      : Math.min(
          windowMs,
          decision.retryAfterMs ?? backoffDelayMs(call.retriesUsed + 1, retryBaseDelayMs, retryMaxDelayMs),
        );
    if (spec.isApiHost) {
      if (!isFirewall) this.limiter.holdBack(pauseMs);
      this.log.event(
        `${isFirewall ? "firewall 403" : "429"}: holding every request to ${this.options.apiOrigin} for ${Math.round(pauseMs)} ms`,
      );
    }
    if (call.retriesUsed >= this.options.maxRetries) throw this.callError(outcome, spec, call);
    call.retriesUsed++;
    if (!spec.isApiHost) {
      await sleep(this.clock, pauseMs);
      call.deadlineAt += pauseMs;
    }
  }

  /** The typed error a call ends with after `outcome`. */
  private callError(
    outcome: AttemptOutcome,
    spec: RequestSpec,
    call: CallProgress,
    stoppedByDeadline = false,
  ): PlumeError {
    return errorForFailure(outcome, { ...this.failureContext(spec, call.attempts), stoppedByDeadline });
  }

  /** One HTTP attempt; never throws, every result is an outcome. */
  private async attempt(
    spec: RequestSpec,
    authorization: string | undefined,
    timeoutMs: number,
  ): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const cancelTimer = this.clock.setTimer(() => {
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
      return networkOutcome(error);
    } finally {
      cancelTimer();
    }
  }

  /** What an error needs to know about the request it is about. */
  private failureContext(target: FailureTarget, attempts: number): FailureContext {
    return {
      method: target.method,
      path: target.path,
      url: target.url ?? this.options.apiBaseUrl + target.path,
      attempts,
      purpose: target.purpose,
      auth: this.options.auth,
      customerId: target.customerId,
      locationId: target.locationId,
      sentFields: target.sentFields,
      windowLimit: this.options.windowLimit,
      windowMs: this.options.windowMs,
      timeoutMs: this.options.timeoutMs,
      deadlineMs: this.options.deadlineMs,
      stoppedByDeadline: false,
      secrets: this.secrets(),
      describeSetting: this.options.describeSetting,
    };
  }

  private toLocation(body: unknown, method: string, path: string): PlumeLocation {
    const parsed = plumeLocationSchema.safeParse(body);
    if (!parsed.success)
      throw unexpectedBodyError(this.failureContext({ method, path, purpose: "api" }, 1), 200, "a location");
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

/**
 * The network outcome of a request that got no response. Axios wraps Node's errors; the code that matters
 * is Node's (`ECONNRESET`), and a response cut off mid-body counts as a reset connection.
 */
function networkOutcome(error: unknown): NetworkOutcome {
  const failure = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof failure.code === "string" ? failure.code : undefined;
  const causeCode = typeof failure.cause?.code === "string" ? failure.cause.code : undefined;
  const message = typeof failure.message === "string" ? failure.message : "request failed";
  if (code === "ERR_BAD_RESPONSE" && message === "stream has been aborted") {
    return { kind: "network", code: "ECONNRESET", message };
  }
  const isWrapper = code === "ERR_BAD_RESPONSE" || code === "ERR_NETWORK" || code === undefined;
  return { kind: "network", code: isWrapper ? (causeCode ?? code) : code, message };
}

/** A fake clock (tests) gets rate limiters of its own: its time must not mix with the process's. */
const limitersByClock = new WeakMap<ClientClock, Map<string, RateLimiter>>();

/**
 * The rate limiter for the API at `origin`, shared by every client of the process on the same clock
 * (`processRateLimiter` for the real one).
 */
function sharedRateLimiter(origin: string, clock: ClientClock, limits: RateLimits): RateLimiter {
  if (clock === systemClientClock) return processRateLimiter(origin, limits);
  let limiters = limitersByClock.get(clock);
  if (!limiters) limitersByClock.set(clock, (limiters = new Map()));
  let limiter = limiters.get(origin);
  if (limiter) limiter.configure(limits);
  else limiters.set(origin, (limiter = new RateLimiter(limits, clock)));
  return limiter;
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
    const shown = typeof value === "string" ? quoteForMessage(value) : String(value);
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
  if (given.profile !== undefined && !(LOCATION_PROFILES as readonly unknown[]).includes(given.profile)) {
    problems.push({
      field: "profile",
      message: `profile must be ${LOCATION_PROFILES.map((profile) => `"${profile}"`).join(" or ")}, got ${typeof given.profile === "string" ? quoteForMessage(given.profile) : typeof given.profile}`,
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
