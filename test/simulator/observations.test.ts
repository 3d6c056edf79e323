import assert from "node:assert/strict";
import { MASK, startSimulator } from "../../simulator";
import { basic, loginToken, oauthToken, send, useSimulator } from "./support";

describe("simulator: request log and counters", () => {
  const sim = useSimulator(() => ({
    requestLogLimit: 5,
    seed: {
      customers: [
        {
          id: "c1",
          locations: [
            {
              id: "l1",
              backhaul: { wpaKey: "CANARY-WPA" },
              wanSettings: { pppoe: { password: "CANARY-PPP" } },
            },
          ],
        },
      ],
    },
  }));

  it("logs method, path, auth scheme, status and body with every secret masked", async () => {
    const raw = await loginToken(sim.current());
    const bearer = await oauthToken(sim.current());
    await send(`${sim.current().url}/api/Customers/c1/locations/l1?filter=x`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${bearer}` },
      body: { serviceId: "S1", backhaul: { wpaKey: "CANARY-WPA" } },
    });
    await send(`${sim.current().url}/api/Customers/c1/locations`, { headers: { authorization: raw } });
    await send(`${sim.current().url}/api/Customers/c1/locations`);

    const log = sim.current().requestLog();
    assert.deepEqual(
      log.map(({ method, path, authScheme, status }) => ({ method, path, authScheme, status })),
      [
        { method: "POST", path: "/api/Customers/login", authScheme: "none", status: 200 },
        { method: "POST", path: "/oauth2/sim-cloud/v1/token", authScheme: "basic", status: 200 },
        { method: "PATCH", path: "/api/Customers/c1/locations/l1", authScheme: "bearer", status: 422 },
        { method: "GET", path: "/api/Customers/c1/locations", authScheme: "raw", status: 200 },
        { method: "GET", path: "/api/Customers/c1/locations", authScheme: "none", status: 401 },
      ],
    );
    assert.deepEqual(log[0]!.body, { email: "admin@sim.local", password: MASK });
    assert.deepEqual(log[1]!.body, {
      grant_type: "client_credentials",
      scope: "partnerId:sim-partner role:partnerIdAdmin",
    });
    assert.deepEqual(log[2]!.body, { serviceId: "S1", backhaul: { wpaKey: MASK } });
    assert.equal(log[3]!.body, undefined);
    const text = JSON.stringify(log);
    for (const secret of ["sim-password", "sim-secret", raw, bearer, "CANARY-WPA", "CANARY-PPP"]) {
      assert.ok(!text.includes(secret), `the log holds ${secret.slice(0, 12)}`);
    }
    assert.ok(!Number.isNaN(Date.parse(log[0]!.at)));
  });

  it("masks secrets in a body that is not JSON", async () => {
    await send(`${sim.current().url}/api/Customers/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"email":"a","password":"hunter2"',
    });
    const entry = sim.current().requestLog().at(-1)!;
    assert.equal(entry.status, 400);
    assert.ok(!JSON.stringify(entry).includes("hunter2"));
  });

  for (const body of ['{"email":"a","password":"hun\\"ter2"', '{"email":"a","password":"hunter 2']) {
    it(`masks the whole secret in the broken JSON ${body}`, async () => {
      await send(`${sim.current().url}/api/Customers/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      const entry = sim.current().requestLog().at(-1)!;
      assert.equal(entry.status, 400);
      assert.equal(entry.body, `{"email":"a","password":${MASK}`);
    });
  }

  it("masks a client secret sent in a token form", async () => {
    await send(sim.current().tokenUrl, {
      method: "POST",
      headers: {
        authorization: basic("sim-client", "sim-secret"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials&client_secret=sim-secret",
    });
    assert.equal((sim.current().requestLog().at(-1)!.body as Record<string, string>).client_secret, MASK);
  });

  it("keeps only the last requestLogLimit entries, oldest first", async () => {
    for (let i = 0; i < 8; i += 1) await send(`${sim.current().url}/api/Customers/c${i}/locations`);
    const log = sim.current().requestLog();
    assert.equal(log.length, 5);
    assert.deepEqual(
      log.map((entry) => entry.path),
      [3, 4, 5, 6, 7].map((i) => `/api/Customers/c${i}/locations`),
    );
  });

  it("counts calls by kind and status, and resets", async () => {
    const token = await oauthToken(sim.current());
    const auth = { authorization: `Bearer ${token}` };
    const url = sim.current().url;
    await send(`${url}/api/Customers/c1/locations/l1`, { headers: auth });
    await send(`${url}/api/Customers/c1/locations/l1`, { headers: auth });
    await send(`${url}/api/Customers/c1/locations`, { headers: auth });
    await send(`${url}/api/Customers/c1/locations/l1`, {
      method: "PATCH",
      headers: auth,
      body: { serviceId: "A" },
    });
    await send(`${url}/api/Customers/c1/locations/l1`, { method: "PATCH", headers: auth, body: {} });
    await send(`${url}/api/Customers/c1/locations/l1`);
    await loginToken(sim.current());
    const counters = sim.current().counters();
    assert.deepEqual(
      { ...counters, byStatus: undefined, maxInFlight: undefined },
      {
        apiCalls: 7,
        tokenRequests: 1,
        tokensIssued: 1,
        logins: 1,
        loginsSucceeded: 1,
        firewallRejections: 0,
        gets: 2,
        lists: 1,
        patches: 2,
        patchesApplied: 1,
        byStatus: undefined,
        inFlight: 0,
        maxInFlight: undefined,
        connectionsReset: 0,
        stalls: 0,
        injectedFailures: 0,
      },
    );
    assert.deepEqual(counters.byStatus, { 200: 6, 401: 1, 422: 1 });
    sim.current().resetCounters();
    const reset = sim.current().counters();
    assert.equal(reset.apiCalls, 0);
    assert.deepEqual(reset.byStatus, {});
    assert.deepEqual(sim.current().requestLog(), []);
  });

  it("returns copies: changing them does not change the simulator", async () => {
    await send(`${sim.current().url}/api/Customers/c1/locations`);
    sim.current().counters().byStatus[401] = 99;
    assert.equal(sim.current().counters().byStatus[401], 1);
    const accepted = sim.current().callTimes().accepted.length;
    sim.current().callTimes().accepted.push(1);
    assert.equal(sim.current().callTimes().accepted.length, accepted);
    sim.current().requestLog().pop();
    assert.equal(sim.current().requestLog().length, 1);
  });
});

describe("simulator: concurrency", () => {
  it("tracks the most requests in flight at once", async () => {
    // Each request stays in flight until its body is complete: hold every body open until all 20 are
    // counted, so no timing (a slow machine finishing one request early) can change the figure.
    const http = await import("node:http");
    const sim = await startSimulator();
    try {
      const requests = Array.from({ length: 20 }, () => {
        const req = http.request(`${sim.url}/api/Customers/c1/locations/l1`, {
          method: "PATCH",
          agent: false,
          headers: { "content-type": "application/json", "content-length": "2" },
        });
        const answered = new Promise<number>((resolve, reject) => {
          req.on("response", (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          });
          req.on("error", reject);
        });
        req.write("{");
        return { req, answered };
      });
      while (sim.counters().inFlight < 20) await new Promise((resolve) => setImmediate(resolve));
      for (const { req } of requests) req.end("}");
      assert.deepEqual(await Promise.all(requests.map(({ answered }) => answered)), Array(20).fill(401));
      const counters = sim.counters();
      assert.equal(counters.maxInFlight, 20);
      assert.equal(counters.inFlight, 0);
      assert.equal(counters.byStatus[401], 20);
    } finally {
      await sim.close();
    }
  });

  it("closes promptly with idle keep-alive connections open", async () => {
    const http = await import("node:http");
    const sim = await startSimulator();
    const agent = new http.Agent({ keepAlive: true });
    try {
      const socket = await new Promise<import("node:net").Socket>((resolve, reject) => {
        const request = http
          .get(`${sim.url}/api/Customers/c1/locations`, { agent }, (res) => {
            res.resume();
            res.on("end", () => resolve(request.socket!));
          })
          .on("error", reject);
      });
      const closedByServer = new Promise((resolve) => socket.once("close", resolve));
      // The simulator keeps idle connections for 65 s: a close() that waited for them would not finish
      // within the test's time limit. It closes them instead.
      await sim.close();
      await closedByServer;
      assert.equal(socket.destroyed, true);
    } finally {
      agent.destroy();
    }
  });
});
