// The two baselines the provider is measured against. Both make the same API calls as a provider phase,
// with plain axios and one OAuth token, and neither has a limiter:
// - naive: every call at once (what an engine with unbounded parallelism does), no retry; its failures
//   are counted, not repaired.
// - sequential: one call after another; a firewall 403 is waited out and the call repeated, so every call
//   lands. It is slow by design, so it runs for a time budget and its measured rate is extrapolated.
import axios, { type AxiosInstance } from "axios";

/** One API call to replay: method, path under the API host, JSON body. */
export interface ApiCall {
  method: string;
  path: string;
  body?: unknown;
}

/** Where the baselines send their calls, and how they get a token. */
export interface BaselineTarget {
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  partnerId: string;
}

/** What a baseline measured, from the client's side. */
export interface BaselineResult {
  /** Calls attempted (for the sequential loop: within its time budget). */
  calls: number;
  /** Calls that never succeeded. */
  failures: number;
  /** Attempts answered 403 by the firewall. */
  firewallRejections: number;
  /** Attempts answered 429. */
  tooManyRequests: number;
  /** Repeated attempts after a 403 (the sequential loop only). */
  retries: number;
  /** Wall time of the calls made, in seconds. */
  seconds: number;
}

/** How long the sequential loop waits after a firewall 403 before repeating the call. */
const sequentialPauseAfter403Ms = 250;

/** Fetches one OAuth token (client credentials), the way Plume documents it. */
export async function fetchBaselineToken(target: BaselineTarget): Promise<string> {
  const basic = Buffer.from(`${target.clientId}:${target.clientSecret}`).toString("base64");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    scope: `partnerId:${target.partnerId} role:partnerIdAdmin`,
  });
  const response = await axios.post(target.tokenUrl, form.toString(), {
    headers: {
      Authorization: `Basic ${basic}`,
      "Content-Type": "application/x-www-form-urlencoded",
      "Cache-Control": "no-cache",
    },
  });
  return (response.data as { access_token: string }).access_token;
}

/** The naive client: every call at once, no limiter, no retry. */
export async function runNaiveBaseline(
  target: BaselineTarget,
  calls: readonly ApiCall[],
): Promise<BaselineResult> {
  const http = await baselineHttp(target);
  const started = performance.now();
  const statuses = await Promise.all(calls.map((call) => send(http, call)));
  const seconds = (performance.now() - started) / 1000;
  return {
    calls: calls.length,
    failures: statuses.filter((status) => !isSuccess(status)).length,
    firewallRejections: statuses.filter((status) => status === 403).length,
    tooManyRequests: statuses.filter((status) => status === 429).length,
    retries: 0,
    seconds,
  };
}

/**
 * The sequential loop: one call after another, a firewall 403 waited out and repeated. Stops starting new
 * calls once `budgetSeconds` have passed; the caller extrapolates from the calls it made.
 */
export async function runSequentialBaseline(
  target: BaselineTarget,
  calls: readonly ApiCall[],
  budgetSeconds: number,
): Promise<BaselineResult> {
  const http = await baselineHttp(target);
  const started = performance.now();
  let made = 0;
  let failures = 0;
  let firewallRejections = 0;
  let tooManyRequests = 0;
  let retries = 0;
  const elapsedSeconds = () => (performance.now() - started) / 1000;
  for (const call of calls) {
    if (elapsedSeconds() >= budgetSeconds) break;
    made += 1;
    for (;;) {
      const status = await send(http, call);
      if (status === 429) tooManyRequests += 1;
      if (status !== 403) {
        if (!isSuccess(status)) failures += 1;
        break;
      }
      firewallRejections += 1;
      retries += 1;
      await new Promise((resolve) => setTimeout(resolve, sequentialPauseAfter403Ms));
    }
  }
  return {
    calls: made,
    failures,
    firewallRejections,
    tooManyRequests,
    retries,
    seconds: elapsedSeconds(),
  };
}

/**
 * Wall time the sequential loop would need for all `totalCalls`, from the rate it kept over the calls it
 * made: linear, which is honest for a loop whose every call costs the same round trip and wait.
 */
export function extrapolateSeconds(measured: { calls: number; seconds: number }, totalCalls: number): number {
  if (measured.calls === 0) return Number.POSITIVE_INFINITY;
  return (measured.seconds / measured.calls) * totalCalls;
}

async function baselineHttp(target: BaselineTarget): Promise<AxiosInstance> {
  const token = await fetchBaselineToken(target);
  return axios.create({
    baseURL: target.apiUrl,
    headers: { Authorization: `Bearer ${token}` },
    validateStatus: () => true,
  });
}

/** Sends one call; a network failure counts as status 0. */
async function send(http: AxiosInstance, call: ApiCall): Promise<number> {
  try {
    const response = await http.request({ method: call.method, url: call.path, data: call.body });
    return response.status;
  } catch {
    return 0;
  }
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
