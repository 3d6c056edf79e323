// Options of the Plume Cloud simulator: one exported type with documented defaults, and one function that
// applies the defaults and reports every problem at once.
import type { RequestLogEntry } from "./requestLog";
import type { SeedData } from "./state";

/** The accounts a simulator accepts out of the box (see `docs/design.md`). */
export interface SimulatorCredentials {
  /** Partner the default OAuth client and admin user belong to. @default "sim-partner" */
  partnerId: string;
  /** OAuth2 client id for the token endpoint. @default "sim-client" */
  clientId: string;
  /** OAuth2 client secret. @default "sim-secret" */
  clientSecret: string;
  /** Admin user e-mail for `POST /api/Customers/login`. @default "admin@sim.local" */
  email: string;
  /** Admin user password. @default "sim-password" */
  password: string;
}

/** The default credentials, as the design contract promises them. */
export const DEFAULT_CREDENTIALS: Readonly<SimulatorCredentials> = Object.freeze({
  partnerId: "sim-partner",
  clientId: "sim-client",
  clientSecret: "sim-secret",
  email: "admin@sim.local",
  password: "sim-password",
});

/** An extra OAuth2 client (for example of another partner, to test cross-partner 401s). */
export interface OAuthClientAccount {
  clientId: string;
  clientSecret: string;
  partnerId: string;
}

/** An extra admin user for the LoopBack login. */
export interface AdminUserAccount {
  email: string;
  password: string;
  partnerId: string;
}

/** The web application firewall in front of the API. */
export interface FirewallOptions {
  /** Calls allowed per client IP within the rolling window. @default 2000 */
  limit?: number;
  /** Length of the rolling window in milliseconds. @default 300000 (five minutes) */
  windowMs?: number;
  /**
   * Whether calls the firewall rejects count toward the window too. A real WAF counts every request it
   * sees, so a client that keeps hammering while blocked stays blocked. @default true
   */
  countRejected?: boolean;
}

/** Artificial latency added to every API and token request. */
export interface LatencyOptions {
  /** Fixed delay in milliseconds. @default 0 */
  fixedMs?: number;
  /** Extra random delay, uniformly drawn from [0, jitterMs]. @default 0 */
  jitterMs?: number;
}

/** Options of `startSimulator`. Every field is optional. */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. The simulator has an unauthenticated control surface: keep it on loopback. @default "127.0.0.1" */
  host?: string;
  /** Okta authorization server id in the token URL `/oauth2/<cloudId>/v1/token`. @default "sim-cloud" */
  cloudId?: string;
  /** Lifetime of OAuth2 access tokens in seconds (Plume allows 300 to 86400 per partner). @default 600 */
  tokenTtlSeconds?: number;
  /** Lifetime of admin-login tokens in seconds (LoopBack's default: two weeks). @default 1209600 */
  loginTtlSeconds?: number;
  /** The firewall's limits. @default { limit: 2000, windowMs: 300000, countRejected: true } */
  firewall?: FirewallOptions;
  /** Latency added to every API and token request. @default { fixedMs: 0, jitterMs: 0 } */
  latency?: LatencyOptions;
  /** Share of API and token requests answered with an injected 5xx, 0..1. @default 0 */
  random5xxRate?: number;
  /** Customers and locations to start with. @default no customers */
  seed?: SeedData;
  /** A JSON file holding seed data (same shape as `seed`), read at start and applied after `seed`. @default none */
  seedFile?: string;
  /**
   * A JSON file the state is kept in: loaded at start when it exists (then `seed` and `seedFile` are not
   * applied), written after every change (debounced, atomically via a temp file and rename). @default none
   */
  persistFile?: string;
  /** Quiet period before a change is written to `persistFile`, in milliseconds. @default 200 */
  persistDebounceMs?: number;
  /** How many requests the request log keeps (a ring buffer; older entries are dropped). @default 10000 */
  requestLogLimit?: number;
  /** How many call times `callTimes()` keeps per series before it stops recording. @default 1000000 */
  callTimesLimit?: number;
  /** Largest request body accepted, in bytes; larger bodies get a 413. @default 1048576 */
  maxBodyBytes?: number;
  /** Override parts of the default credentials. @default DEFAULT_CREDENTIALS */
  credentials?: Partial<SimulatorCredentials>;
  /** OAuth2 clients accepted besides the default one. @default [] */
  oauthClients?: OAuthClientAccount[];
  /** Admin users accepted besides the default one. @default [] */
  adminUsers?: AdminUserAccount[];
  /**
   * The clock, in milliseconds since the epoch. Tests inject one to expire tokens and slide the firewall
   * window without sleeping. `sim.advanceClock(ms)` shifts whatever clock is used. @default Date.now
   */
  now?: () => number;
  /**
   * Timers for injected latency and stalls: calls `callback` after `ms` on the simulator's clock and returns
   * a function that cancels it. Tests inject one with `now` to answer "after 120 ms" without waiting.
   * @default setTimeout
   */
  setTimer?: (callback: () => void, ms: number) => () => void;
  /** Source of randomness in [0, 1) for jitter and random 5xx. @default Math.random */
  random?: () => number;
  /** Called with each request-log entry once answered (the CLI's `--log-requests`). @default none */
  onRequest?: (entry: RequestLogEntry) => void;
  /** Called when handling a request throws (the client gets a 500). @default prints the stack on stderr */
  onError?: (error: unknown, request: { method: string; path: string }) => void;
}

/** Options with every default applied. */
export interface ResolvedSimulatorOptions {
  port: number;
  host: string;
  cloudId: string;
  tokenTtlSeconds: number;
  loginTtlSeconds: number;
  firewall: Required<FirewallOptions>;
  latency: Required<LatencyOptions>;
  random5xxRate: number;
  seed: SeedData | undefined;
  seedFile: string | undefined;
  persistFile: string | undefined;
  persistDebounceMs: number;
  requestLogLimit: number;
  callTimesLimit: number;
  maxBodyBytes: number;
  credentials: SimulatorCredentials;
  oauthClients: OAuthClientAccount[];
  adminUsers: AdminUserAccount[];
  now: () => number;
  setTimer: (callback: () => void, ms: number) => () => void;
  random: () => number;
  onRequest: ((entry: RequestLogEntry) => void) | undefined;
  onError: (error: unknown, request: { method: string; path: string }) => void;
}

/** Thrown by `resolveSimulatorOptions` with every problem found, one per line. */
export class SimulatorOptionsError extends Error {
  override name = "SimulatorOptionsError";
  constructor(readonly problems: string[]) {
    super(`Invalid simulator options:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
}

/** The defaults of `SimulatorOptions`, in one place (the CLI's `--help` shows them too). */
export const SIMULATOR_DEFAULTS = Object.freeze({
  port: 0,
  host: "127.0.0.1",
  cloudId: "sim-cloud",
  tokenTtlSeconds: 600,
  loginTtlSeconds: 1_209_600,
  firewall: Object.freeze({ limit: 2000, windowMs: 300_000, countRejected: true }),
  latency: Object.freeze({ fixedMs: 0, jitterMs: 0 }),
  random5xxRate: 0,
  persistDebounceMs: 200,
  requestLogLimit: 10_000,
  callTimesLimit: 1_000_000,
  maxBodyBytes: 1_048_576,
});

/** Applies the defaults of `SimulatorOptions` and validates them, reporting every problem at once. */
export function resolveSimulatorOptions(options: SimulatorOptions = {}): ResolvedSimulatorOptions {
  const problems: string[] = [];
  const integer = (name: string, value: number | undefined, fallback: number, min: number, max: number) => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  };
  const text = (name: string, value: string | undefined, fallback: string, required = false) => {
    if (value === undefined && required) problems.push(`${name} is required`);
    if (value === undefined) return fallback;
    if (typeof value !== "string" || value.trim() === "") {
      // A secret given with the wrong type is still a secret: name its type, never its value.
      const shown =
        /secret|password/i.test(name) && typeof value !== "string" ? typeof value : JSON.stringify(value);
      problems.push(`${name} must be a non-empty string, got ${shown}`);
      return fallback;
    }
    return value;
  };

  const D = SIMULATOR_DEFAULTS;
  const resolved: ResolvedSimulatorOptions = {
    port: integer("port", options.port, D.port, 0, 65535),
    host: text("host", options.host, D.host),
    cloudId: text("cloudId", options.cloudId, D.cloudId),
    tokenTtlSeconds: integer("tokenTtlSeconds", options.tokenTtlSeconds, D.tokenTtlSeconds, 1, 86400 * 365),
    loginTtlSeconds: integer("loginTtlSeconds", options.loginTtlSeconds, D.loginTtlSeconds, 1, 86400 * 365),
    firewall: {
      limit: integer("firewall.limit", options.firewall?.limit, D.firewall.limit, 1, Number.MAX_SAFE_INTEGER),
      windowMs: integer(
        "firewall.windowMs",
        options.firewall?.windowMs,
        D.firewall.windowMs,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
      countRejected: options.firewall?.countRejected ?? D.firewall.countRejected,
    },
    latency: {
      fixedMs: integer("latency.fixedMs", options.latency?.fixedMs, D.latency.fixedMs, 0, 600000),
      jitterMs: integer("latency.jitterMs", options.latency?.jitterMs, D.latency.jitterMs, 0, 600000),
    },
    random5xxRate: options.random5xxRate ?? D.random5xxRate,
    seed: options.seed,
    seedFile: options.seedFile,
    persistFile: options.persistFile,
    persistDebounceMs: integer(
      "persistDebounceMs",
      options.persistDebounceMs,
      D.persistDebounceMs,
      0,
      600000,
    ),
    requestLogLimit: integer("requestLogLimit", options.requestLogLimit, D.requestLogLimit, 0, 10_000_000),
    callTimesLimit: integer("callTimesLimit", options.callTimesLimit, D.callTimesLimit, 0, 100_000_000),
    maxBodyBytes: integer("maxBodyBytes", options.maxBodyBytes, D.maxBodyBytes, 1, 1024 * 1048576),
    credentials: { ...DEFAULT_CREDENTIALS },
    oauthClients: [],
    adminUsers: [],
    now: options.now ?? Date.now,
    setTimer: options.setTimer ?? realTimer,
    random: options.random ?? Math.random,
    onRequest: options.onRequest,
    onError: options.onError ?? reportError,
  };

  const rate = resolved.random5xxRate;
  if (typeof rate !== "number" || !(rate >= 0 && rate <= 1)) {
    problems.push(`random5xxRate must be a number from 0 to 1, got ${JSON.stringify(rate)}`);
    resolved.random5xxRate = 0;
  }
  if (typeof resolved.firewall.countRejected !== "boolean") {
    problems.push(`firewall.countRejected must be a boolean`);
  }
  for (const [key, value] of Object.entries(options.credentials ?? {})) {
    if (!(key in DEFAULT_CREDENTIALS)) {
      problems.push(
        `credentials.${key} is not a credential; use ${Object.keys(DEFAULT_CREDENTIALS).join(", ")}`,
      );
    } else if (value !== undefined) {
      resolved.credentials[key as keyof SimulatorCredentials] = text(`credentials.${key}`, value, "x");
    }
  }
  (options.oauthClients ?? []).forEach((client, index) => {
    for (const field of ["clientId", "clientSecret", "partnerId"] as const) {
      text(`oauthClients[${index}].${field}`, client?.[field], "", true);
    }
    resolved.oauthClients.push({ ...client });
  });
  (options.adminUsers ?? []).forEach((user, index) => {
    for (const field of ["email", "password", "partnerId"] as const) {
      text(`adminUsers[${index}].${field}`, user?.[field], "", true);
    }
    resolved.adminUsers.push({ ...user });
  });
  for (const [name, value] of [
    ["seedFile", options.seedFile],
    ["persistFile", options.persistFile],
  ] as const) {
    if (value !== undefined) text(name, value, "");
  }
  if (typeof resolved.now !== "function")
    problems.push("now must be a function returning epoch milliseconds");
  if (typeof resolved.random !== "function")
    problems.push("random must be a function returning a number in [0, 1)");

  if (problems.length > 0) throw new SimulatorOptionsError(problems);
  return resolved;
}

function reportError(error: unknown, request: { method: string; path: string }): void {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`plume-simulator: ${request.method} ${request.path} failed: ${detail}\n`);
}

/** `setTimeout`, as a timer that returns its own cancel function. */
function realTimer(callback: () => void, ms: number): () => void {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
}
