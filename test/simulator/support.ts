// Test drivers for the simulator tests: raw HTTP (one connection per request), tokens, a manual clock.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import type { RequestLogEntry, RunningSimulator, SeedData, SimulatorOptions } from "../../simulator";
import { startSimulator } from "../../simulator";

/** A finished HTTP exchange. */
export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // Tests read arbitrary JSON bodies.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** What to send. A non-string `body` is sent as JSON with a JSON content type. */
export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Source address, to appear as another client IP (any 127.x.y.z works on Linux). */
  localAddress?: string;
  /** Gives up (rejecting with "client timeout") when no answer came within this many ms. */
  timeoutMs?: number;
}

/** Sends one request on a fresh connection and reads the whole answer. */
export function send(url: string, options: SendOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  let payload: string | undefined;
  if (typeof options.body === "string") payload = options.body;
  else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? "GET", headers, agent: false, localAddress: options.localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on("error", reject);
    if (options.timeoutMs !== undefined) {
      req.setTimeout(options.timeoutMs, () => req.destroy(new Error("client timeout")));
    }
    req.end(payload);
  });
}

/** Basic auth header value for a client id and secret. */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;
}

/** The standard scope for a partner. */
export function scopeFor(partnerId: string): string {
  return `partnerId:${partnerId} role:partnerIdAdmin`;
}

/** Where tokens come from: a running simulator, or the JSON line the CLI prints. */
export type TokenSource = Pick<RunningSimulator, "tokenUrl" | "credentials">;

/** Requests a token from the token endpoint with a form body. */
export function requestToken(
  sim: TokenSource,
  form: Record<string, string>,
  authorization = basic(sim.credentials.clientId, sim.credentials.clientSecret),
): Promise<HttpResult> {
  return send(sim.tokenUrl, {
    method: "POST",
    headers: {
      authorization,
      "content-type": "application/x-www-form-urlencoded",
      "cache-control": "no-cache",
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** An OAuth access token for the default client. */
export async function oauthToken(sim: TokenSource): Promise<string> {
  const answer = await requestToken(sim, {
    grant_type: "client_credentials",
    scope: scopeFor(sim.credentials.partnerId),
  });
  if (answer.status !== 200) throw new Error(`token request failed: ${answer.status} ${answer.text}`);
  return answer.json.access_token;
}

/** A LoopBack login token for the default admin user. */
export async function loginToken(sim: RunningSimulator): Promise<string> {
  const answer = await send(`${sim.url}/api/Customers/login`, {
    method: "POST",
    body: { email: sim.credentials.email, password: sim.credentials.password },
  });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return answer.json.id;
}

/** Hands out request-log entries as the simulator finishes them: pass `onRequest` as the simulator option. */
export class RequestWatcher {
  private readonly unclaimed: RequestLogEntry[] = [];
  private readonly waiting: Array<{
    matches: (entry: RequestLogEntry) => boolean;
    resolve: (entry: RequestLogEntry) => void;
  }> = [];

  readonly onRequest = (entry: RequestLogEntry): void => {
    const index = this.waiting.findIndex((waiter) => waiter.matches(entry));
    if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(entry);
    else this.unclaimed.push(entry);
  };

  /** The next finished request that `matches` (one already finished counts). */
  next(matches: (entry: RequestLogEntry) => boolean = () => true): Promise<RequestLogEntry> {
    const index = this.unclaimed.findIndex(matches);
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0]!);
    return new Promise((resolve) => this.waiting.push({ matches, resolve }));
  }
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public time = Date.parse("2030-01-01T00:00:00.000Z")) {}
  readonly now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** One customer `c1` of the default partner with locations `l1` and `l2`. */
export const BASIC_SEED: SeedData = {
  customers: [
    {
      id: "c1",
      locations: [
        { id: "l1", name: "Main street" },
        { id: "l2", name: "Office" },
      ],
    },
  ],
};

/** Starts a simulator per test and closes it afterwards; `current()` is the running one. */
export function useSimulator(options: () => SimulatorOptions = () => ({ seed: BASIC_SEED })): {
  current: () => RunningSimulator;
} {
  let sim: RunningSimulator | undefined;
  beforeEach(async () => {
    sim = await startSimulator(options());
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return {
    current: () => {
      if (!sim) throw new Error("no simulator running");
      return sim;
    },
  };
}
