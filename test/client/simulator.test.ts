// The issue's "done when": the client against the Plume simulator, end to end over real HTTP.
import assert from "node:assert/strict";
import {
  PlumeAuthError,
  PlumeClient,
  PlumeError,
  PlumeForbiddenError,
  PlumeNotFoundError,
  PlumeTokenError,
  PlumeUnexpectedResponseError,
  PlumeValidationError,
  type PlumeAuth,
  type PlumeClientOptions,
} from "../../provider/client";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../simulator";
import { FakeClock } from "./fakeClock";
import { rejection } from "./rejection";

const fast = {
  retryBaseDelayMs: 1,
  retryMaxDelayMs: 10,
  maxRequestsPerSecond: 10_000,
  windowLimit: 100_000,
  maxConcurrency: 50,
};

describe("the Plume client against the simulator", () => {
  let sim: RunningSimulator;
  let customerId: string;
  let locationIds: string[];

  async function start(options: SimulatorOptions = {}): Promise<void> {
    sim = await startSimulator(options);
    const fleet = sim.state.generate({ customers: 1, locationsPerCustomer: 20 });
    customerId = fleet.customers[0].id;
    locationIds = fleet.customers[0].locationIds;
  }
  function oauth(overrides: Partial<Extract<PlumeAuth, { kind: "oauth" }>> = {}): PlumeAuth {
    const { clientId, clientSecret, partnerId } = sim.credentials;
    return { kind: "oauth", tokenUrl: sim.tokenUrl, clientId, clientSecret, partnerId, ...overrides };
  }
  function login(overrides: Partial<Extract<PlumeAuth, { kind: "login" }>> = {}): PlumeAuth {
    return { kind: "login", email: sim.credentials.email, password: sim.credentials.password, ...overrides };
  }
  function client(options: Partial<PlumeClientOptions> = {}): PlumeClient {
    return new PlumeClient({ apiUrl: sim.url, auth: oauth(), ...fast, ...options });
  }
  const apiSchemes = () =>
    new Set(
      sim
        .requestLog()
        .filter((entry) => entry.path.startsWith("/api/Customers/" + customerId))
        .map((entry) => entry.authScheme),
    );

  /** Location calls (one location or the list) the simulator received. */
  const locationCalls = () =>
    sim
      .requestLog()
      .filter((entry) => entry.path.startsWith(`/api/Customers/`) && entry.path !== "/api/Customers/login")
      .length;

  afterEach(async () => {
    await sim?.close();
  });

  describe("authenticates", () => {
    beforeEach(() => start());

    it("with OAuth2 client credentials, sending Bearer tokens", async () => {
      const plume = client();
      const location = await plume.patchLocation(customerId, locationIds[0], {
        serviceId: "svc-1",
        profile: "smallbusiness",
      });
      assert.equal(location.serviceId, "svc-1");
      assert.equal(sim.state.getLocation(customerId, locationIds[0])?.profile, "smallbusiness");
      assert.equal(sim.counters().tokenRequests, 1);
      assert.deepEqual(apiSchemes(), new Set(["bearer"]));
    });

    it("with the admin login, sending the token raw", async () => {
      const plume = client({ auth: login() });
      assert.equal((await plume.listLocations(customerId)).length, 20);
      assert.equal(sim.counters().loginsSucceeded, 1);
      assert.deepEqual(apiSchemes(), new Set(["raw"]));
    });

    it("with a token given by the user, sent verbatim", async () => {
      const response = await fetch(sim.tokenUrl, {
        method: "POST",
        headers: {
          Authorization:
            "Basic " +
            Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString("base64"),
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: `grant_type=client_credentials&scope=${encodeURIComponent(`partnerId:${sim.credentials.partnerId} role:partnerIdAdmin`)}`,
      });
      const { access_token: token } = (await response.json()) as { access_token: string };
      const plume = client({ auth: { kind: "token", token: `Bearer ${token}` } });
      assert.equal((await plume.getLocation(customerId, locationIds[0])).id, locationIds[0]);
      assert.equal(sim.counters().tokenRequests, 1); // only the one made above
    });
  });

  describe("tokens", () => {
    beforeEach(() => start());

    it("makes exactly one token request for a burst of 1,000 concurrent calls", async () => {
      const plume = client();
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.equal(sim.counters().tokenRequests, 1);
    });

    it("recovers from a token that expired mid-run with exactly one new token", async () => {
      const plume = client();
      await plume.getLocation(customerId, locationIds[0]);
      sim.advanceClock(601_000); // the simulator's token lapses; the client still believes it valid
      const read = await Promise.all(locationIds.map((id) => plume.getLocation(customerId, id)));
      assert.equal(sim.counters().tokensIssued, 2);
      assert.deepEqual(
        read.map((location) => location.id),
        locationIds,
      );
    });

    it("recovers from revoked tokens with exactly one new token, however many calls were refused", async () => {
      const plume = client();
      await plume.getLocation(customerId, locationIds[0]);
      sim.faults.revokeAllTokens();
      const read = await Promise.all(
        Array.from({ length: 100 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.equal(sim.counters().tokensIssued, 2);
      assert.ok((sim.counters().byStatus["401"] ?? 0) >= 1, "no call was refused");
      assert.equal(read.length, 100);
    });

    it("recovers the admin login from revocation with exactly one new login", async () => {
      const plume = client({ auth: login() });
      await plume.getLocation(customerId, locationIds[0]);
      sim.faults.revokeAllTokens();
      await Promise.all(locationIds.map((id) => plume.getLocation(customerId, id)));
      assert.equal(sim.counters().loginsSucceeded, 2);
    });

    it("sends a live token after a long wait in the rate limiter's queue", async () => {
      await sim.close();
      // 60 calls at 20 per second queue for 3 s: longer than a 2 s token lives. Client and simulator share
      // one fake clock, whose 50 ms steps between two requests run on their own.
      const clock = new FakeClock(100);
      await start({ tokenTtlSeconds: 2, now: () => clock.wallNow() });
      const plume = client({ maxRequestsPerSecond: 20, clock });
      await Promise.all(
        Array.from({ length: 60 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.equal(sim.counters().byStatus["401"] ?? 0, 0);
      assert.ok(sim.counters().tokensIssued >= 2);
    });

    it("shares one token among every client of the process with the same credentials", async () => {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => client().getLocation(customerId, locationIds[i])),
      );
      assert.equal(sim.counters().tokenRequests, 1);
    });
  });

  describe("rate limit", () => {
    it("keeps a burst of 500 calls under the firewall's window: zero firewall 403s", async () => {
      // One fake clock for client and simulator; waits for the window to free up run on their own.
      const clock = new FakeClock(1_000);
      await start({ firewall: { limit: 120, windowMs: 500 }, now: () => clock.wallNow() });
      const plume = client({ windowLimit: 100, windowMs: 500, clock });
      await Promise.all(
        Array.from({ length: 500 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.equal(sim.counters().firewallRejections, 0);
      assert.equal(sim.counters().gets, 500);
    });

    it("rides out a firewall that is already closed (another process used the budget), then finishes", async () => {
      const clock = new FakeClock(1_000);
      await start({ firewall: { limit: 40, windowMs: 400 }, now: () => clock.wallNow() });
      // Another tool behind the same IP, unknown to this process's limiter, exhausts the window.
      await Promise.all(
        Array.from({ length: 40 }, () => fetch(`${sim.url}/api/Customers/${customerId}/locations`)),
      );
      const lines: string[] = [];
      const plume = client({
        windowLimit: 30,
        windowMs: 400,
        clock,
        debug: true,
        logger: (line) => lines.push(line),
      });
      const read = await Promise.all(
        Array.from({ length: 60 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.ok(sim.counters().firewallRejections >= 1);
      assert.equal(read.length, 60);
      assert.ok(lines.some((line) => line.includes("firewall 403: holding every request")));
    });
  });

  describe("faults", () => {
    beforeEach(() => start());

    const faults: [string, (sim: RunningSimulator) => void][] = [
      ["two 503s", (s) => s.faults.failNext(2, 503)],
      ["a 500 with an HTML body", (s) => s.faults.failNext(1, 500, { body: "html" })],
      [
        "a 502 and a 504 with empty bodies",
        (s) => (s.faults.failNext(1, 502, { body: "empty" }), s.faults.failNext(1, 504, { body: "empty" })),
      ],
      ["a 429 with Retry-After 0", (s) => s.faults.failNext(1, 429, { retryAfterSeconds: 0 })],
      ["a firewall-style 403 (HTML)", (s) => s.faults.failNext(1, 403, { body: "html" })],
      ["a reset connection", (s) => s.faults.resetNextConnections(1)],
      ["a stalled response", (s) => s.faults.stallNext(1, 2000)],
      ["a 503 from the token endpoint", (s) => s.faults.failNext(1, 503, { path: "/oauth2" })],
    ];
    for (const [what, inject] of faults) {
      it(`retries ${what} to success`, async () => {
        const plume = client({ timeoutMs: 300, windowMs: 160 });
        inject(sim);
        const location = await plume.patchLocation(customerId, locationIds[0], {
          serviceId: "svc-after-fault",
        });
        assert.equal(location.serviceId, "svc-after-fault");
        assert.equal(sim.state.getLocation(customerId, locationIds[0])?.serviceId, "svc-after-fault");
        const { apiCalls, tokenRequests } = sim.counters();
        assert.ok(apiCalls + tokenRequests >= 3, "the fault was never served");
      });
    }

    it("retries a random 5xx rate of 30% to success for 200 calls", async () => {
      sim.faults.setRandom5xxRate(0.3);
      const plume = client({ maxRetries: 10 }); // 0.3^11 per call: a failure would be a one-in-a-million run
      const read = await Promise.all(
        Array.from({ length: 200 }, (_, i) => plume.getLocation(customerId, locationIds[i % 20])),
      );
      assert.ok(sim.counters().injectedFailures > 0);
      assert.ok(sim.counters().apiCalls > 200, "no call was retried");
      assert.equal(read.length, 200);
    });
  });

  describe("errors", () => {
    beforeEach(() => start());

    it("surfaces an unknown location as PlumeNotFoundError once the customer's list confirms it", async () => {
      const plume = client();
      const error = await rejection(plume.getLocation(customerId, "5f0000000000000000000000"));
      assert.ok(error instanceof PlumeNotFoundError);
      assert.equal(error.status, 404);
      assert.match(
        error.hint,
        /Plume lists \d+ locations for customer .*, and 5f0000000000000000000000 is not one of them/,
      );
      assert.ok(error.plumeMessage);
      assert.equal(locationCalls(), 2);
      assert.equal(sim.counters().lists, 1);
    });

    it("does not take a 404 for a location that Plume still lists as a deleted location", async () => {
      const plume = client();
      sim.faults.failNext(1, 404, { body: "empty", method: "PATCH" });
      const error = await rejection(plume.patchLocation(customerId, locationIds[0], { serviceId: "s" }));
      assert.ok(error instanceof PlumeUnexpectedResponseError, `${error.name}: ${error.message}`);
      assert.equal(error.status, 404);
      assert.match(error.hint, /yet .* lists location/);
      assert.equal(locationCalls(), 2);
    });

    it("surfaces a customer this partner cannot see as PlumeAuthError after one fresh token", async () => {
      const plume = client();
      const error = await rejection(plume.getLocation("5f00000000000000000000ff", locationIds[0]));
      assert.ok(error instanceof PlumeAuthError);
      assert.equal(error.status, 401);
      assert.match(error.hint, /the `auth.clientId` option/);
      assert.match(error.hint, /not visible to partner/);
      assert.equal(locationCalls(), 2);
      assert.equal(sim.counters().tokensIssued, 2);
    });

    const statuses: [number, "json" | "html" | "empty", new (...args: never[]) => PlumeError, RegExp][] = [
      [400, "json", PlumeValidationError, /required field/],
      [422, "json", PlumeValidationError, /serviceId/],
      [403, "json", PlumeForbiddenError, /role/],
    ];
    for (const [status, body, type, hint] of statuses) {
      it(`surfaces a ${status} with ${body === "empty" ? "an empty" : `a ${body}`} body as ${type.name}, never retried`, async () => {
        const plume = client();
        sim.faults.failNext(1, status, { body, method: "PATCH" });
        const error = await rejection(plume.patchLocation(customerId, locationIds[0], { serviceId: "s" }));
        assert.ok(error instanceof type, `${error.name}: ${error.message}`);
        assert.equal(error.name, type.name);
        assert.equal(error.status, status);
        assert.match(error.hint, hint);
        assert.equal(locationCalls(), 1);
      });
    }

    it("surfaces a wrong client secret as PlumeTokenError invalid_client naming the settings", async () => {
      const error = await rejection(
        client({ auth: oauth({ clientSecret: "wrong-secret-value" }) }).getLocation(
          customerId,
          locationIds[0],
        ),
      );
      assert.ok(error instanceof PlumeTokenError);
      assert.equal(error.code, "invalid_client");
      assert.match(error.hint, /the `auth.clientSecret` option/);
      assert.equal(sim.counters().tokenRequests, 1);
    });

    it("surfaces a wrong admin password as PlumeTokenError naming the settings", async () => {
      const error = await rejection(
        client({ auth: login({ password: "wrong-password-value" }) }).getLocation(customerId, locationIds[0]),
      );
      assert.ok(error instanceof PlumeTokenError);
      assert.match(error.hint, /the `auth.password` option/);
    });

    it("puts no secret in any error or debug line", async () => {
      const lines: string[] = [];
      const messages: string[] = [];
      const debug = { debug: true, logger: (line: string) => lines.push(line) };
      const plumes = [client(debug), client({ ...debug, auth: login() })];
      sim.faults.failNext(2, 503);
      for (const plume of plumes) {
        await plume.getLocation(customerId, locationIds[0]);
        await plume.listLocations(customerId);
        sim.faults.revokeAllTokens();
        await plume.patchLocation(customerId, locationIds[0], { serviceId: "s" });
        for (const failing of [
          plume.getLocation(customerId, "5f0000000000000000000000"),
          plume.getLocation("5f00000000000000000000ff", locationIds[0]),
        ]) {
          const error = await rejection(failing);
          messages.push(error.message, error.stack ?? "", JSON.stringify(error));
        }
      }
      for (const auth of [
        oauth({ clientSecret: "wrong-secret-value" }),
        login({ password: "wrong-password-value" }),
      ]) {
        const error = await rejection(client({ ...debug, auth }).getLocation(customerId, locationIds[0]));
        messages.push(error.message, error.stack ?? "", JSON.stringify(error));
      }
      const text = [...lines, ...messages].join("\n");
      assert.ok(lines.length >= 10);
      const location = sim.state.getLocation(customerId, locationIds[0]);
      const secrets = [
        sim.credentials.clientSecret,
        sim.credentials.password,
        "wrong-secret-value",
        "wrong-password-value",
        Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString("base64"),
        location?.backhaul.wpaKey,
        location?.wanSettings.pppoe.password,
      ];
      for (const secret of secrets)
        assert.ok(secret && !text.includes(secret), `a secret leaked: ${secret?.slice(0, 3)}…`);
      assert.doesNotMatch(text, /Bearer\s+\S/);
      assert.doesNotMatch(text, /eyJ/); // no JWT
    });
  });
});
