// The simulator's HTTP server: one request pipeline (firewall, fault switches, latency, then the handler)
// in front of the Plume API, the Okta token endpoint and the /__sim/ control surface.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleControlRequest } from "./controlApi";
import {
  firewallForbidden,
  htmlError,
  loopbackError,
  noMethod,
  oauthError,
  type SimRequest,
  type SimResponse,
} from "./exchange";
import { FaultSwitches, type FaultAction } from "./faults";
import { Firewall } from "./firewall";
import { Metrics, type CallTimes, type SimulatorCounters } from "./metrics";
import {
  resolveSimulatorOptions,
  type OAuthClientAccount,
  type ResolvedSimulatorOptions,
  type SimulatorCredentials,
  type SimulatorOptions,
} from "./options";
import { StatePersister, readSeedFile } from "./persistence";
import { handleApiRequest, type AdminUser, type ApiContext } from "./plumeApi";
import { maskSecrets, maskText, RequestLog, type RequestLogEntry } from "./requestLog";
import type { RunningSimulator } from "./runningSimulator";
import { SimulatorState } from "./state";
import { handleTokenRequest, type TokenEndpointContext } from "./tokenEndpoint";
import { authSchemeOf, TokenStore } from "./tokens";

/** Starts a simulator on `options.port` (a free port by default). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const simulator = new PlumeSimulator(resolveSimulatorOptions(options));
  await simulator.listen();
  return simulator;
}

class PlumeSimulator implements RunningSimulator {
  readonly credentials: Readonly<SimulatorCredentials>;
  readonly state: SimulatorState;
  readonly faults: FaultSwitches;
  private readonly options: ResolvedSimulatorOptions;
  private readonly server: Server;
  private readonly tokens: TokenStore;
  private readonly firewall: Firewall;
  private readonly metrics: Metrics;
  private readonly log: RequestLog;
  private readonly persister: StatePersister | undefined;
  private readonly clients = new Map<string, OAuthClientAccount>();
  private readonly users = new Map<string, AdminUser>();
  private readonly sleepers = new Set<{ cancel: () => void; wake: () => void }>();
  private readonly tokenPath: string;
  private readonly apiContext: ApiContext;
  private readonly tokenContext: TokenEndpointContext;
  private clockOffsetMs = 0;
  private closing: Promise<void> | undefined;
  private address: AddressInfo | undefined;

  constructor(options: ResolvedSimulatorOptions) {
    this.options = options;
    this.credentials = Object.freeze({ ...options.credentials });
    this.tokenPath = `/oauth2/${encodeURIComponent(options.cloudId)}/v1/token`;
    const now = () => this.now();
    this.persister = options.persistFile
      ? new StatePersister(options.persistFile, options.persistDebounceMs, () => this.state.snapshot())
      : undefined;
    this.state = new SimulatorState({
      now,
      defaultPartnerId: options.credentials.partnerId,
      onChange: () => this.persister?.schedule(),
    });
    this.tokens = new TokenStore(now);
    this.firewall = new Firewall({ ...options.firewall }, now);
    this.faults = new FaultSwitches(
      { latency: options.latency, random5xxRate: options.random5xxRate, firewall: { ...options.firewall } },
      this.firewall,
      this.tokens,
      options.random,
    );
    this.metrics = new Metrics(now, options.callTimesLimit);
    this.log = new RequestLog(options.requestLogLimit);

    const { credentials } = options;
    for (const client of [credentials, ...options.oauthClients]) {
      this.clients.set(client.clientId, {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        partnerId: client.partnerId,
      });
    }
    for (const user of [credentials, ...options.adminUsers]) {
      const userId = createHash("sha256").update(user.email).digest("hex").slice(0, 24);
      this.users.set(user.email, {
        email: user.email,
        password: user.password,
        partnerId: user.partnerId,
        userId,
      });
    }

    this.apiContext = {
      state: this.state,
      tokens: this.tokens,
      users: this.users,
      loginTtlSeconds: options.loginTtlSeconds,
      metrics: this.metrics,
      now,
    };
    this.tokenContext = {
      tokens: this.tokens,
      clients: this.clients,
      tokenTtlSeconds: options.tokenTtlSeconds,
      metrics: this.metrics,
    };

    this.loadInitialState();
    this.server = createServer((request, response) => void this.handle(request, response));
    // Outlive common client keep-alive timeouts so an idle socket is not closed under a reusing client.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
  }

  get url(): string {
    const { host } = this.options;
    const shownHost = host.includes(":") ? `[${host}]` : host;
    return `http://${shownHost}:${this.port}`;
  }

  get tokenUrl(): string {
    return `${this.url}${this.tokenPath}`;
  }

  get controlUrl(): string {
    return `${this.url}/__sim`;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        // A simulator that never started must not write its seed over the persist file later.
        this.persister?.cancel();
        reject(error);
      };
      this.server.once("error", fail);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off("error", fail);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    this.tokens.issuer = `${this.url}/oauth2/${this.options.cloudId}`;
  }

  now(): number {
    return this.options.now() + this.clockOffsetMs;
  }

  rotateClientSecret(clientId: string, newSecret: string): void {
    const client = this.clients.get(clientId);
    if (client === undefined) throw new RangeError(`no OAuth client ${JSON.stringify(clientId)}`);
    if (typeof newSecret !== "string" || newSecret === "")
      throw new TypeError("newSecret must be a non-empty string");
    this.clients.set(clientId, { ...client, clientSecret: newSecret });
    this.tokens.revokeAll();
  }

  advanceClock(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError("advanceClock needs a number of milliseconds >= 0");
    this.clockOffsetMs += ms;
  }

  requestLog(): RequestLogEntry[] {
    return this.log.list();
  }

  counters(): SimulatorCounters {
    return this.metrics.snapshot();
  }

  resetCounters(): void {
    this.metrics.reset();
    this.log.clear();
  }

  callTimes(): CallTimes {
    return this.metrics.callTimes(this.firewall.current);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const sleeper of this.sleepers) {
        sleeper.cancel();
        sleeper.wake();
      }
      this.sleepers.clear();
      await new Promise<void>((resolve) => {
        this.server.close(() => resolve());
        this.server.closeAllConnections();
      });
      await this.persister?.flush();
    })();
    return this.closing;
  }

  private loadInitialState(): void {
    const persisted = this.persister?.load();
    if (persisted) {
      this.state.seed(persisted);
      return;
    }
    if (this.options.seed) this.state.seed(this.options.seed);
    if (this.options.seedFile) this.state.seed(readSeedFile(this.options.seedFile));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const rawUrl = request.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const method = (request.method ?? "GET").toUpperCase();
    const isControl = path === "/__sim" || path.startsWith("/__sim/");
    const kind =
      path === this.tokenPath ? "token" : path === "/api" || path.startsWith("/api/") ? "api" : "other";
    const startedAt = this.now();
    const counters = this.metrics.counters;
    if (!isControl) {
      this.metrics.started();
      if (kind === "api") counters.apiCalls += 1;
      if (kind === "token") counters.tokenRequests += 1;
    }

    const body = await readBody(request, this.options.maxBodyBytes);
    const simRequest: SimRequest = {
      method,
      path,
      query: new URLSearchParams(queryAt < 0 ? "" : rawUrl.slice(queryAt + 1)),
      headers: request.headers,
      body: body ?? Buffer.alloc(0),
      ip: clientIp(request),
    };
    if (isControl) {
      try {
        writeResponse(
          response,
          body === undefined ? tooLarge() : await handleControlRequest(simRequest, this),
        );
      } catch (error) {
        this.options.onError(error, { method, path });
        writeResponse(response, {
          status: 500,
          json: { error: `The control request failed: ${(error as Error).message}` },
        });
      }
      return;
    }

    const arrival = this.now();
    const entry: RequestLogEntry = {
      at: new Date(arrival).toISOString(),
      method,
      path,
      authScheme: authSchemeOf(request.headers.authorization),
      status: 0,
      body: loggableBody(simRequest),
      ip: simRequest.ip,
      durationMs: 0,
    };
    const finish = (answer: SimResponse | undefined) => {
      // Encoding can throw (a drifted location holding a value JSON cannot carry): do it before anything is
      // recorded, so the catch below records one 500 instead.
      const encoded = answer && encodeResponse(answer);
      entry.status = answer?.status ?? 0;
      entry.durationMs = this.now() - startedAt;
      this.metrics.finished(entry.status);
      this.log.add(entry);
      if (encoded) sendEncoded(response, encoded);
      try {
        this.options.onRequest?.(entry);
      } catch (error) {
        this.options.onError(error, { method, path });
      }
    };

    try {
      if (body === undefined) return finish(tooLarge());
      if (kind === "other") return finish(noMethod(method, path));

      if (this.faults.takeReset(method, path)) {
        counters.connectionsReset += 1;
        entry.fault = "reset";
        request.socket.destroy();
        return finish(undefined);
      }
      const latencyMs = this.faults.drawLatencyMs();
      if (kind === "api") {
        const admitted = this.firewall.admit(simRequest.ip);
        this.metrics.firewallDecision(arrival, admitted);
        if (!admitted) {
          entry.fault = "firewall";
          if (!(await this.sleep(latencyMs))) return undefined;
          return finish(firewallForbidden());
        }
      }
      const stallMs = this.faults.takeStall(method, path);
      if (stallMs > 0) {
        counters.stalls += 1;
        entry.fault = "stall";
      }
      if (!(await this.sleep(stallMs + latencyMs))) return undefined;

      const failure = this.faults.takeFailure(method, path);
      if (failure) {
        counters.injectedFailures += 1;
        entry.fault = failure.random ? "random5xx" : "fail";
        return finish(injectedFailure(failure, kind === "token"));
      }
      if (kind === "token") return finish(handleTokenRequest(simRequest, this.tokenContext));
      return finish(handleApiRequest(simRequest, this.apiContext));
    } catch (error) {
      this.options.onError(error, { method, path });
      return finish(loopbackError(500, "Error", "Internal Server Error"));
    }
  }

  // Resolves true after `ms`, or false at once when the simulator is closing.
  private sleep(ms: number): Promise<boolean> {
    if (this.closing) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const sleeper = {
        cancel: this.options.setTimer(() => {
          this.sleepers.delete(sleeper);
          resolve(true);
        }, ms),
        wake: () => resolve(false),
      };
      this.sleepers.add(sleeper);
    });
  }
}

function injectedFailure(
  failure: Extract<FaultAction, { kind: "fail" }>,
  onTokenEndpoint: boolean,
): SimResponse {
  const reason = STATUS_REASONS[failure.status] ?? "Error";
  let answer: SimResponse;
  if (failure.body === "html") answer = htmlError(failure.status, reason);
  else if (failure.body === "empty") answer = { status: failure.status, text: "", contentType: "text/plain" };
  else if (onTokenEndpoint)
    answer = oauthError(failure.status, "server_error", `Injected failure: ${reason}`);
  else answer = loopbackError(failure.status, "Error", reason);
  if (failure.retryAfterSeconds !== undefined) {
    answer.headers = { ...answer.headers, "Retry-After": String(failure.retryAfterSeconds) };
  }
  return answer;
}

const STATUS_REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Authorization Required",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function tooLarge(): SimResponse {
  return loopbackError(413, "PayloadTooLargeError", "request entity too large");
}

function clientIp(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

// Reads the whole body; undefined when it is larger than `limit` (the rest is drained and dropped).
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on("end", () => resolve(size <= limit ? Buffer.concat(chunks, size) : undefined));
    request.on("error", () => resolve(Buffer.alloc(0)));
  });
}

function loggableBody(request: SimRequest): unknown {
  if (request.body.length === 0) return undefined;
  const text = request.body.toString("utf8");
  const contentType = String(request.headers["content-type"] ?? "").toLowerCase();
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    return maskSecrets(Object.fromEntries(new URLSearchParams(text)));
  }
  try {
    return maskSecrets(JSON.parse(text));
  } catch {
    return maskText(text);
  }
}

interface EncodedResponse {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

function encodeResponse(answer: SimResponse): EncodedResponse {
  const body =
    answer.text !== undefined ? answer.text : answer.json === undefined ? "" : JSON.stringify(answer.json);
  const contentType = answer.text !== undefined ? (answer.contentType ?? "text/plain") : "application/json";
  return {
    status: answer.status,
    headers: {
      "Content-Type": `${contentType}; charset=utf-8`,
      "Content-Length": Buffer.byteLength(body),
      ...answer.headers,
    },
    body,
  };
}

// A client that gave up (a stalled request) has no socket left to answer on.
function sendEncoded(response: ServerResponse, encoded: EncodedResponse): void {
  if (response.destroyed || response.writableEnded) return;
  response.writeHead(encoded.status, encoded.headers);
  response.end(encoded.body);
}

function writeResponse(response: ServerResponse, answer: SimResponse): void {
  sendEncoded(response, encodeResponse(answer));
}
