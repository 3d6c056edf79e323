// The /__sim/ control surface: the in-process controls over HTTP, for the CLI and for tests that run the
// simulator in another process. No authentication: it is a local test surface, bound to loopback by default.
import { jsonResponse, type SimRequest, type SimResponse } from "./exchange";
import { FaultSwitches, type FailNextOptions, type FaultTarget } from "./faults";
import { Firewall } from "./firewall";
import type { RunningSimulator } from "./runningSimulator";
import { SimulatorStateError, type SeedData } from "./state";
import { TokenStore } from "./tokens";

/** A JSON body for `POST /__sim/faults`; every key is optional and they apply in this order. */
export interface FaultRequest {
  clear?: boolean;
  latency?: { fixedMs?: number; jitterMs?: number };
  random5xxRate?: number;
  firewall?: { limit?: number; windowMs?: number; countRejected?: boolean };
  failNext?: HttpFaultTarget & {
    count: number;
    status: number;
    body?: FailNextOptions["body"];
    retryAfterSeconds?: number;
  };
  resetNextConnections?: HttpFaultTarget & { count: number };
  stallNext?: HttpFaultTarget & { count: number; ms: number };
  revokeTokens?: boolean;
}

/** A fault target over HTTP: `path` as a string, or `pathPattern` as a regular expression source. */
interface HttpFaultTarget {
  path?: string;
  pathPattern?: string;
  method?: string;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Routes a /__sim/ request. */
export async function handleControlRequest(request: SimRequest, sim: RunningSimulator): Promise<SimResponse> {
  try {
    return await route(request, sim);
  } catch (error) {
    if (error instanceof ControlError) return jsonResponse(error.status, { error: error.message });
    if (error instanceof SimulatorStateError) {
      return jsonResponse(400, { error: error.message, problems: error.problems });
    }
    const inputErrors = [RangeError, TypeError, SyntaxError, URIError];
    if (error instanceof Error && inputErrors.some((kind) => error instanceof kind)) {
      return jsonResponse(400, { error: error.message });
    }
    throw error;
  }
}

async function route(request: SimRequest, sim: RunningSimulator): Promise<SimResponse> {
  const { method } = request;
  const path = request.path.replace(/\/+$/, "");
  const on = (wanted: string, route: string) => method === wanted && path === route;

  if (on("GET", "/__sim")) {
    return jsonResponse(200, {
      url: sim.url,
      tokenUrl: sim.tokenUrl,
      controlUrl: sim.controlUrl,
      credentials: sim.credentials,
      size: sim.state.size(),
    });
  }
  if (on("POST", "/__sim/seed")) {
    const body = jsonBody(request) as SeedData & { replace?: boolean };
    const replace = body?.replace === true || request.query.get("replace") === "true";
    sim.state.seed(body, { replace });
    return jsonResponse(200, sim.state.size());
  }
  if (on("POST", "/__sim/generate")) {
    const body = jsonBody(request) as Parameters<RunningSimulator["state"]["generate"]>[0];
    return jsonResponse(200, sim.state.generate(body));
  }
  if (on("GET", "/__sim/state")) return jsonResponse(200, sim.state.snapshot());
  if (on("POST", "/__sim/drift")) {
    const body = jsonBody(request) as { customerId?: unknown; locationId?: unknown; patch?: unknown };
    if (typeof body?.customerId !== "string" || typeof body.locationId !== "string") {
      throw new ControlError(400, 'drift needs {"customerId","locationId","patch":{...}}');
    }
    requireLocation(sim, body.customerId, body.locationId);
    return jsonResponse(
      200,
      sim.state.driftLocation(body.customerId, body.locationId, body.patch as Record<string, unknown>),
    );
  }
  const locationPath = /^\/__sim\/customers\/([^/]+)\/locations(?:\/([^/]+))?$/.exec(path);
  if (locationPath) {
    const customerId = decodeURIComponent(locationPath[1]!);
    const locationId = locationPath[2] === undefined ? undefined : decodeURIComponent(locationPath[2]);
    if (locationId === undefined && method === "GET")
      return jsonResponse(200, sim.state.listLocations(customerId));
    if (locationId !== undefined && method === "GET") {
      return jsonResponse(200, requireLocation(sim, customerId, locationId));
    }
    if (locationId !== undefined && method === "DELETE") {
      requireLocation(sim, customerId, locationId);
      sim.state.deleteLocation(customerId, locationId);
      return jsonResponse(200, { deleted: true });
    }
  }
  if (on("GET", "/__sim/faults")) return jsonResponse(200, sim.faults.status());
  if (on("POST", "/__sim/faults")) {
    const body = jsonBody(request) as FaultRequest;
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw new ControlError(400, 'faults needs a JSON object such as {"failNext":{"count":1,"status":500}}');
    }
    // Dry run on scratch switches first, so a bad request changes nothing.
    const { firewall, latency, random5xxRate } = sim.faults.status();
    const scratch = new FaultSwitches(
      { latency, random5xxRate, firewall },
      new Firewall({ ...firewall }, () => 0),
      new TokenStore(() => 0),
      Math.random,
    );
    applyFaults(scratch, body);
    return jsonResponse(200, { ...applyFaults(sim.faults, body), status: sim.faults.status() });
  }
  if (on("POST", "/__sim/revoke-tokens")) return jsonResponse(200, { revoked: sim.faults.revokeAllTokens() });
  if (on("GET", "/__sim/requests")) {
    const entries = sim.requestLog();
    const limit = Number(request.query.get("limit") ?? entries.length);
    if (!Number.isInteger(limit) || limit < 0) throw new ControlError(400, "limit must be a whole number");
    return jsonResponse(200, limit === 0 ? [] : entries.slice(-limit));
  }
  if (on("GET", "/__sim/counters")) return jsonResponse(200, sim.counters());
  if (on("POST", "/__sim/counters/reset")) {
    sim.resetCounters();
    return jsonResponse(200, sim.counters());
  }
  if (on("GET", "/__sim/call-times")) return jsonResponse(200, sim.callTimes());
  if (on("POST", "/__sim/clock")) {
    const body = jsonBody(request) as { advanceMs?: unknown };
    if (typeof body?.advanceMs !== "number")
      throw new ControlError(400, 'clock needs {"advanceMs": <milliseconds>}');
    sim.advanceClock(body.advanceMs);
    return jsonResponse(200, { now: sim.now(), iso: new Date(sim.now()).toISOString() });
  }
  throw new ControlError(
    404,
    `No control route ${method} ${request.path}; see docs/simulator.md for the /__sim/ routes.`,
  );
}

function applyFaults(faults: FaultSwitches, body: FaultRequest): { revoked?: number } {
  const result: { revoked?: number } = {};
  if (body.clear === true) faults.clear();
  if (body.latency !== undefined) faults.setLatency(body.latency);
  if (body.random5xxRate !== undefined) faults.setRandom5xxRate(body.random5xxRate);
  if (body.firewall !== undefined) faults.setFirewall(body.firewall);
  if (body.failNext !== undefined) {
    const { count, status, body: failBody, retryAfterSeconds } = body.failNext;
    faults.failNext(count, status, {
      ...targetOf(body.failNext),
      ...(failBody ? { body: failBody } : {}),
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
  }
  if (body.resetNextConnections !== undefined) {
    faults.resetNextConnections(body.resetNextConnections.count, targetOf(body.resetNextConnections));
  }
  if (body.stallNext !== undefined) {
    faults.stallNext(body.stallNext.count, body.stallNext.ms, targetOf(body.stallNext));
  }
  if (body.revokeTokens === true) result.revoked = faults.revokeAllTokens();
  return result;
}

function targetOf(target: HttpFaultTarget): FaultTarget {
  if (target === null || typeof target !== "object")
    throw new TypeError("a fault needs an object with a count");
  const out: FaultTarget = {};
  if (target.path !== undefined) out.path = target.path;
  if (target.pathPattern !== undefined) out.path = new RegExp(target.pathPattern);
  if (target.method !== undefined) out.method = target.method;
  return out;
}

function requireLocation(sim: RunningSimulator, customerId: string, locationId: string) {
  const location = sim.state.getLocation(customerId, locationId);
  if (!location) throw new ControlError(404, `No location ${customerId}/${locationId}`);
  return location;
}

function jsonBody(request: SimRequest): unknown {
  if (request.body.length === 0) return undefined;
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch {
    throw new ControlError(400, "The body is not valid JSON.");
  }
}
