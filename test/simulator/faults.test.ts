import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import { FakeClock } from "../client/fakeClock";
import {
  oauthToken,
  RequestWatcher,
  requestToken,
  scopeFor,
  send,
  useSimulator,
  type SendOptions,
} from "./support";

describe("simulator: fault switches", () => {
  let watcher: RequestWatcher;
  let randomValues: number[] = [];
  // The simulator's latency and stalls run on this clock: a test moves it, nobody waits.
  let clock: FakeClock;
  const sim = useSimulator(() => {
    watcher = new RequestWatcher();
    clock = new FakeClock();
    return {
      seed: { customers: [{ id: "c1", locations: [{ id: "l1" }, { id: "l2" }] }] },
      onRequest: watcher.onRequest,
      random: () => randomValues.shift() ?? 0.99,
      now: () => clock.wallNow(),
      setTimer: (callback, ms) => clock.setTimer(callback, ms),
    };
  });
  /** Resolves once the simulator holds an answer back on its clock. */
  const held = async (): Promise<void> => {
    while (clock.pendingTimers === 0) await new Promise((resolve) => setImmediate(resolve));
  };
  /** Whether `promise` has settled, after everything already queued has run. */
  const hasSettled = async (promise: Promise<unknown>): Promise<boolean> => {
    let settled = false;
    void promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setImmediate(resolve));
    return settled;
  };
  let token: string;
  beforeEach(async () => {
    randomValues = [];
    token = await oauthToken(sim.current());
  });

  const api = (path = "/api/Customers/c1/locations/l1", options: SendOptions = {}) =>
    send(`${sim.current().url}${path}`, {
      ...options,
      headers: { authorization: `Bearer ${token}`, ...options.headers },
    });
  const patchServiceId = (serviceId: string, options: SendOptions = {}) =>
    api("/api/Customers/c1/locations/l1", { method: "PATCH", body: { serviceId }, ...options });
  const serviceIdOf = (s: RunningSimulator) => s.state.getLocation("c1", "l1")!.serviceId;

  describe("latency", () => {
    it("adds the fixed latency to API and token requests", async () => {
      sim.current().faults.setLatency({ fixedMs: 120 });
      const answer = api();
      await held();
      await clock.advance(119);
      assert.equal(await hasSettled(answer), false, "answered before the latency");
      await clock.advance(1);
      assert.equal((await answer).status, 200);
      const token = oauthToken(sim.current());
      await held();
      await clock.advance(120);
      await token;
      const entries = sim.current().requestLog().slice(-2);
      assert.deepEqual(
        entries.map((entry) => [entry.path, entry.durationMs]),
        [
          ["/api/Customers/c1/locations/l1", 120],
          ["/oauth2/sim-cloud/v1/token", 120],
        ],
      );
    });

    it("adds jitter drawn from the injected random source", async () => {
      sim.current().faults.setLatency({ fixedMs: 10, jitterMs: 200 });
      randomValues = [0.5];
      const answer = api();
      await held();
      await clock.advance(110); // 10 ms fixed + 0.5 of the 200 ms jitter
      await answer;
      assert.equal(sim.current().requestLog().at(-1)!.durationMs, 110);
    });

    it("is set at start from the options", async () => {
      const { startSimulator } = await import("../../simulator");
      const slow = await startSimulator({
        latency: { fixedMs: 80 },
        now: () => clock.wallNow(),
        setTimer: (callback, ms) => clock.setTimer(callback, ms),
      });
      try {
        const answer = send(`${slow.url}/api/Customers/c1/locations`);
        await held();
        await clock.advance(80);
        await answer;
        assert.equal(slow.requestLog().at(-1)!.durationMs, 80);
        assert.deepEqual(slow.faults.status().latency, { fixedMs: 80, jitterMs: 0 });
      } finally {
        await slow.close();
      }
    });
  });

  describe("failNext", () => {
    it("answers the next N API calls with the status in LoopBack JSON, then recovers", async () => {
      sim.current().faults.failNext(2, 500);
      for (let i = 0; i < 2; i += 1) {
        const answer = await patchServiceId("S-fail");
        assert.equal(answer.status, 500);
        assert.deepEqual(answer.json, {
          error: { statusCode: 500, name: "Error", message: "Internal Server Error" },
        });
      }
      assert.equal(serviceIdOf(sim.current()), undefined, "a failed PATCH is not applied");
      assert.equal((await patchServiceId("S-ok")).status, 200);
      assert.equal(sim.current().counters().injectedFailures, 2);
      assert.deepEqual(
        sim
          .current()
          .requestLog()
          .slice(-3)
          .map((entry) => entry.fault),
        ["fail", "fail", undefined],
      );
    });

    it("leaves the token endpoint alone unless targeted", async () => {
      sim.current().faults.failNext(1, 503);
      assert.equal(typeof (await oauthToken(sim.current())), "string");
      assert.equal((await api()).status, 503);
    });

    it("targets the token endpoint with an Okta-style error body", async () => {
      sim.current().faults.failNext(1, 503, { path: "/oauth2" });
      assert.equal((await api()).status, 200);
      const failed = await requestToken(sim.current(), {
        grant_type: "client_credentials",
        scope: scopeFor("sim-partner"),
      });
      assert.equal(failed.status, 503);
      assert.equal(failed.json.error, "server_error");
      assert.equal(typeof failed.json.error_description, "string");
      assert.equal(sim.current().requestLog().at(-1)!.fault, "fail");
      assert.equal(typeof (await oauthToken(sim.current())), "string");
    });

    it("targets a path prefix at segment boundaries, a RegExp, or a method", async () => {
      const faults = sim.current().faults;
      faults.failNext(1, 502, { path: "/api/Customers/c1/locations/l2" });
      faults.failNext(1, 504, { path: /\/l1$/, method: "patch" });
      assert.equal(
        (await api("/api/Customers/c1/locations/l1")).status,
        200,
        "GET does not match the PATCH rule",
      );
      assert.equal((await api("/api/Customers/c1/locations/l2")).status, 502);
      assert.equal((await patchServiceId("S")).status, 504);
      assert.equal((await api("/api/Customers/c1/locations/l2")).status, 200);
    });

    it("can answer with an HTML page, an empty body, or a Retry-After header", async () => {
      const faults = sim.current().faults;
      faults.failNext(1, 502, { body: "html" });
      faults.failNext(1, 500, { body: "empty" });
      faults.failNext(1, 429, { retryAfterSeconds: 7 });
      const html = await api();
      assert.equal(html.status, 502);
      assert.match(html.headers["content-type"] ?? "", /^text\/html/);
      const empty = await api();
      assert.equal(empty.status, 500);
      assert.equal(empty.text, "");
      const limited = await api();
      assert.equal(limited.status, 429);
      assert.equal(limited.headers["retry-after"], "7");
    });

    it("rejects nonsense arguments", () => {
      const faults = sim.current().faults;
      assert.throws(() => faults.failNext(0, 500), /count/);
      assert.throws(() => faults.failNext(1, 99), /status/);
      assert.throws(() => faults.failNext(1, 500, { body: "xml" as "json" }), /body/);
    });
  });

  describe("random 5xx", () => {
    it("fails every API call at rate 1 and none at rate 0", async () => {
      sim.current().faults.setRandom5xxRate(1);
      randomValues = [0, 0.2, 0, 0.7];
      assert.equal((await api()).status, 500);
      assert.equal((await api()).status, 503);
      assert.equal(sim.current().requestLog().at(-1)!.fault, "random5xx");
      sim.current().faults.setRandom5xxRate(0);
      assert.equal((await api()).status, 200);
    });

    it("fails the share of calls the random source puts under the rate", async () => {
      sim.current().faults.setRandom5xxRate(0.25);
      randomValues = [0.1, 0.1, 0.3, 0.9, 0.2, 0.9];
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await api()).status);
      assert.deepEqual(statuses, [500, 200, 200, 503]);
    });

    it("rejects a rate outside 0..1", () => {
      assert.throws(() => sim.current().faults.setRandom5xxRate(1.5), /rate/);
    });
  });

  describe("connection resets", () => {
    it("destroys the socket of the next N calls without an answer", async () => {
      sim.current().faults.resetNextConnections(1);
      await assert.rejects(patchServiceId("S-reset"), (error: NodeJS.ErrnoException) => {
        assert.match(`${error.code} ${error.message}`, /ECONNRESET|socket hang up/);
        return true;
      });
      assert.equal(serviceIdOf(sim.current()), undefined, "a reset request is not applied");
      assert.equal((await patchServiceId("S-ok")).status, 200);
      const counters = sim.current().counters();
      assert.equal(counters.connectionsReset, 1);
      const reset = sim
        .current()
        .requestLog()
        .find((entry) => entry.fault === "reset")!;
      assert.equal(reset.status, 0);
    });
  });

  describe("stalls", () => {
    it("answers slower than the client's timeout, and still applies the PATCH afterwards", async () => {
      sim.current().faults.stallNext(1, 300);
      const stalled = watcher.next((entry) => entry.fault === "stall");
      await assert.rejects(patchServiceId("S-late", { timeoutMs: 50 }), /client timeout/);
      await clock.advance(300);
      const entry = await stalled;
      assert.equal(entry.status, 200);
      assert.equal(entry.durationMs, 300);
      assert.equal(
        serviceIdOf(sim.current()),
        "S-late",
        "the slow server applied it after the client gave up",
      );
      assert.equal(sim.current().counters().stalls, 1);
      assert.equal((await api()).status, 200, "only the next call stalls");
    });

    it("does not hold close() for a pending stall", async () => {
      sim.current().faults.stallNext(1, 60_000);
      const pending = api().catch((error: Error) => error);
      await held();
      // The stall ends only when the clock moves a minute on, which it never does here: close() resolving
      // at all shows it did not wait for it.
      await sim.current().close();
      assert.equal(clock.pendingTimers, 0, "the stall's timer was cancelled");
      assert.ok((await pending) instanceof Error, "the stalled client sees its connection go");
    });
  });

  describe("clear and status", () => {
    it("reports the switches and clears them back to the start", async () => {
      const faults = sim.current().faults;
      faults.setLatency({ fixedMs: 5, jitterMs: 1 });
      faults.failNext(2, 500, { method: "PATCH" });
      faults.resetNextConnections(3);
      faults.stallNext(1, 10);
      faults.setRandom5xxRate(0.5);
      const status = faults.status();
      assert.deepEqual(status.latency, { fixedMs: 5, jitterMs: 1 });
      assert.deepEqual(status.pendingFailures, [
        { remaining: 2, status: 500, path: "/api", method: "PATCH" },
      ]);
      assert.equal(status.pendingResets, 3);
      assert.deepEqual(status.pendingStalls, [{ remaining: 1, ms: 10, path: "/api" }]);
      assert.equal(status.random5xxRate, 0.5);
      faults.clear();
      const cleared = faults.status();
      assert.deepEqual(cleared.latency, { fixedMs: 0, jitterMs: 0 });
      assert.deepEqual(cleared.pendingFailures, []);
      assert.equal(cleared.pendingResets, 0);
      assert.equal(cleared.random5xxRate, 0);
      assert.equal((await api()).status, 200);
    });

    it("keeps tokens through clear()", async () => {
      sim.current().faults.clear();
      assert.equal((await api()).status, 200);
    });
  });
});
