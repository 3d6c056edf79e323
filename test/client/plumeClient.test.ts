// The client against scripted HTTP servers on port 0: exact control over every answer.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  PlumeAuthError,
  PlumeClient,
  PlumeError,
  PlumeForbiddenError,
  PlumeNetworkError,
  PlumeRateLimitError,
  PlumeServerError,
  PlumeTimeoutError,
  PlumeTokenError,
  PlumeUnexpectedResponseError,
  PlumeValidationError,
  USER_AGENT,
  type PlumeAuth,
  type PlumeClientOptions,
} from "../../provider/client";
import {
  sampleLocation,
  startScriptedServer,
  type ScriptedAnswer,
  type ScriptedServer,
} from "./scriptedServer";
import { FakeClock } from "./fakeClock";
import { rejection } from "./rejection";

const TOKEN = "given-token-0123456789";
const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 5, maxRequestsPerSecond: 1000, maxConcurrency: 50 };
const loopBack = (statusCode: number, message: string, extra: object = {}) => ({
  error: { statusCode, name: "Error", message, ...extra },
});

let servers: ScriptedServer[] = [];
async function serve(
  answer: (url: string, index: number) => ScriptedAnswer | Promise<ScriptedAnswer>,
): Promise<ScriptedServer> {
  const server = await startScriptedServer((request, index) => answer(request.url, index));
  servers.push(server);
  return server;
}
/** OAuth client credentials against `server`'s token endpoint; a distinct secret per test keeps tokens apart. */
function oauthAuth(server: ScriptedServer, clientSecret: string, partnerId = "p"): PlumeAuth {
  return {
    kind: "oauth",
    tokenUrl: `${server.url}/oauth2/c/v1/token`,
    clientId: "id",
    clientSecret,
    partnerId,
  };
}
/** A debug logger, and a way to wait for the line that says something happened. */
function eventLog() {
  const lines: string[] = [];
  const waiting: { pattern: RegExp; seen: () => void }[] = [];
  return {
    lines,
    logger(line: string): void {
      lines.push(line);
      for (const waiter of waiting.filter(({ pattern }) => pattern.test(line))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.seen();
      }
    },
    /** Resolves once a line matching `pattern` was logged. */
    next(pattern: RegExp): Promise<void> {
      if (lines.some((line) => pattern.test(line))) return Promise.resolve();
      return new Promise((seen) => waiting.push({ pattern, seen }));
    },
  };
}
function clientFor(server: ScriptedServer, options: Partial<PlumeClientOptions> = {}): PlumeClient {
  return new PlumeClient({ apiUrl: server.url, auth: { kind: "token", token: TOKEN }, ...fast, ...options });
}

describe("the Plume client", () => {
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  it("sends each id as one encoded path segment", async () => {
    const server = await serve(() => ({ status: 200, body: sampleLocation() }));
    await clientFor(server).getLocation("c/1?x#y", "%2e%2e");
    assert.equal(server.requests[0].url, "/api/Customers/c%2F1%3Fx%23y/locations/%252e%252e");
  });

  for (const [customerId, locationId] of [
    [".", "l1"],
    ["c1", ".."],
    ["", "l1"],
    ["c1", " "],
    ["c1", "l\ud800"],
  ]) {
    it(`refuses the ids ${JSON.stringify([customerId, locationId])} before sending anything`, async () => {
      const server = await serve(() => ({ status: 200, body: sampleLocation() }));
      const error = await rejection(clientFor(server).getLocation(customerId, locationId));
      assert.ok(error instanceof PlumeValidationError);
      assert.equal(error.field, customerId === "c1" ? "locationId" : "customerId");
      assert.equal(server.requests.length, 0);
    });
  }

  it("sends the given token verbatim, JSON headers and User-Agent pulumi-plume/<version>", async () => {
    const server = await serve(() => ({ status: 200, body: sampleLocation() }));
    const location = await clientFor(server).patchLocation("c1", "l1", {
      serviceId: "svc-9",
      profile: "smallbusiness",
    });
    const [request] = server.requests;
    assert.equal(request.method, "PATCH");
    assert.equal(request.headers.authorization, TOKEN);
    assert.equal(request.headers["content-type"], "application/json");
    assert.equal(request.headers["user-agent"], USER_AGENT);
    assert.match(USER_AGENT, /^pulumi-plume\/\d+\.\d+\.\d+/);
    assert.deepEqual(JSON.parse(request.body), { serviceId: "svc-9", profile: "smallbusiness" });
    assert.equal(location.id, "loc-1");
  });

  it("lists a customer's locations", async () => {
    const server = await serve(() => ({ status: 200, body: [sampleLocation("a"), sampleLocation("b")] }));
    const locations = await clientFor(server).listLocations("c1");
    assert.deepEqual(
      locations.map((location) => location.id),
      ["a", "b"],
    );
    assert.equal(server.requests[0].url, "/api/Customers/c1/locations");
  });

  for (const [patch, field] of [
    [{ serviceId: "" }, "serviceId"],
    [{ serviceId: "s", profile: "small business" }, "profile"],
    [{ serviceId: "s", profile: "property" }, "profile"],
  ] as const) {
    it(`checks the change ${JSON.stringify(patch)} before sending anything`, async () => {
      const server = await serve(() => ({ status: 200, body: sampleLocation() }));
      const error = await rejection(clientFor(server).patchLocation("c1", "l1", patch as never));
      assert.ok(error instanceof PlumeValidationError);
      assert.equal(error.field, field);
      assert.equal(server.requests.length, 0);
    });
  }

  for (const status of [500, 502, 503, 504]) {
    it(`retries a ${status} to success`, async () => {
      const server = await serve((_, index) =>
        index < 2 ? { status } : { status: 200, body: sampleLocation() },
      );
      await clientFor(server).getLocation("c1", "l1");
      assert.deepEqual(
        server.requests.map((request) => `${request.method} ${request.url}`),
        Array(3).fill("GET /api/Customers/c1/locations/l1"),
      );
    });
  }

  it("retries a reset connection and a stalled attempt to success", async () => {
    const clock = new FakeClock(10);
    const answers: ScriptedAnswer[] = [
      { reset: true },
      { stallMs: 60_000 },
      { status: 200, body: sampleLocation() },
    ];
    const server = await serve((_, index) => {
      if ("stallMs" in answers[index]) void clock.advance(100); // the attempt's time runs out
      return answers[index];
    });
    const events = eventLog();
    const client = clientFor(server, { timeoutMs: 100, clock, debug: true, logger: events.logger });
    await client.getLocation("c1", "l1");
    assert.equal(server.requests.length, 3);
    assert.match(events.lines[0], /-> ECONNRESET attempt=1/);
    assert.match(events.lines[1], /-> timeout attempt=2 duration=100ms/);
    assert.match(events.lines[2], /-> 200 attempt=3/);
  });

  it("fails at once, in its own words, when the host does not speak HTTP", async () => {
    const sockets: net.Socket[] = [];
    const notHttp = net.createServer((socket) => {
      sockets.push(socket);
      socket.end("SSH-2.0-OpenSSH_9.6\r\n");
    });
    await new Promise<void>((resolve) => notHttp.listen(0, "127.0.0.1", resolve));
    try {
      const port = (notHttp.address() as AddressInfo).port;
      const client = new PlumeClient({
        apiUrl: `http://127.0.0.1:${port}`,
        auth: { kind: "token", token: TOKEN },
        ...fast,
      });
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeNetworkError, `${error.name}: ${error.message}`);
      assert.match(error.message, /^Request failed: Parse Error/);
      assert.doesNotMatch(error.message, /Could not reach/);
      assert.match(error.hint, /not retried/);
      assert.equal(error.attempts, 1);
      assert.equal(sockets.length, 1, "one connection: no retry");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => notHttp.close(resolve));
    }
  });

  it("gives up after maxRetries with a PlumeServerError that counts the attempts", async () => {
    const server = await serve(() => ({ status: 503, body: "<html>busy</html>" }));
    const error = await rejection(clientFor(server, { maxRetries: 2 }).getLocation("c1", "l1"));
    assert.ok(error instanceof PlumeServerError);
    assert.equal(error.status, 503);
    assert.equal(error.attempts, 3);
    assert.equal(error.plumeMessage, undefined);
    assert.match(
      error.message,
      /GET http:\/\/127\.0\.0\.1:\d+\/api\/Customers\/c1\/locations\/l1 \(HTTP 503\) after 3 attempts/,
    );
    assert.equal(server.requests.length, 3);
  });

  for (const body of ["<html><body>403 Forbidden</body></html>", ""]) {
    it(`retries a firewall 403 ${body ? "with an HTML body" : "with an empty body"} after holding back every request`, async () => {
      const server = await serve((_, index) =>
        index === 0 ? { status: 403, body } : { status: 200, body: sampleLocation() },
      );
      const clock = new FakeClock(10);
      const events = eventLog();
      // First hold: 320 / 16 = 20 ms.
      const client = clientFor(server, { windowMs: 320, clock, debug: true, logger: events.logger });
      const call = client.getLocation("c1", "l1");
      await events.next(/firewall 403: holding every request to \S+ for 20 ms/);
      await clock.advance(20);
      await call;
      assert.equal(server.requests.length, 2);
      assert.match(events.lines.join("\n"), /-> 200 attempt=2 duration=\d+ms queued=20ms/);
    });
  }

  it("surfaces a firewall 403 that outlives every retry as a PlumeRateLimitError explaining the budget", async () => {
    const server = await serve(() => ({ status: 403, body: "<html>Request blocked</html>" }));
    const error = await rejection(
      clientFor(server, { windowMs: 160, maxRetries: 2 }).getLocation("c1", "l1"),
    );
    assert.ok(error instanceof PlumeRateLimitError);
    assert.equal(error.name, "PlumeRateLimitError");
    assert.match(error.hint, /2,000 calls per rolling five minutes/);
    assert.equal(server.requests.length, 3);
  });

  it("surfaces a firewall 403 on the admin login as the rate limit, not as a wrong password", async () => {
    const server = await serve(() => ({ status: 403, body: "<html>Request blocked</html>" }));
    const error = await rejection(
      clientFor(server, {
        auth: { kind: "login", email: "admin@isp.example", password: "pw-secret-7" },
        windowMs: 160,
        maxRetries: 1,
      }).getLocation("c1", "l1"),
    );
    assert.ok(error instanceof PlumeRateLimitError, `${error.name}: ${error.message}`);
    assert.match(error.hint, /2,000 calls per rolling five minutes/);
    assert.doesNotMatch(error.hint, /password/);
    assert.equal(server.requests.length, 2);
  });

  it("holds every request for a 429's Retry-After, then retries", async () => {
    const server = await serve((_, index) =>
      index === 0
        ? { status: 429, headers: { "Retry-After": "1" } }
        : { status: 200, body: sampleLocation() },
    );
    const clock = new FakeClock(10);
    const events = eventLog();
    const client = clientFor(server, { clock, debug: true, logger: events.logger });
    const first = client.getLocation("c1", "l1");
    await events.next(/429: holding every request to \S+ for 1000 ms/);
    // Another call started while the hold is in force must wait for it too.
    const second = client.getLocation("c1", "l2");
    await clock.advance(1000);
    await Promise.all([first, second]);
    assert.equal(server.requests.length, 3);
    const log = events.lines.join("\n");
    assert.match(log, /l1 -> 200 attempt=2 duration=\d+ms queued=100\dms/);
    assert.match(log, /l2 -> 200 attempt=1 duration=\d+ms queued=100\dms/);
  });

  it("waits for a 503's Retry-After before retrying, up to retryMaxDelayMs", async () => {
    const server = await serve((_, index) =>
      index === 0
        ? { status: 503, headers: { "Retry-After": "1" } }
        : { status: 200, body: sampleLocation() },
    );
    const clock = new FakeClock();
    const arrivals: number[] = [];
    const events = eventLog();
    const client = clientFor(server, { retryMaxDelayMs: 5000, clock, debug: true, logger: events.logger });
    const call = client.getLocation("c1", "l1");
    await events.next(/-> 503 attempt=1/);
    await clock.advance(999);
    arrivals.push(server.requests.length);
    await clock.advance(1);
    await call;
    arrivals.push(server.requests.length);
    assert.deepEqual(arrivals, [1, 2], "requests seen before and after the Retry-After second");
  });

  it("stops at the deadline rather than wait out a 503's long Retry-After", async () => {
    const server = await serve(() => ({ status: 503, headers: { "Retry-After": "60" } }));
    const client = clientFor(server, { retryMaxDelayMs: 120_000, deadlineMs: 5000 });
    const error = await rejection(client.getLocation("c1", "l1"));
    assert.ok(error instanceof PlumeServerError);
    assert.match(error.hint, /deadline/);
    assert.equal(server.requests.length, 1);
  });

  const failures: [string, ScriptedAnswer, new (...args: never[]) => PlumeError, RegExp][] = [
    [
      "a 400",
      { status: 400, body: loopBack(400, "serviceId is required") },
      PlumeValidationError,
      /required field/,
    ],
    [
      "a 422 naming the field in its details",
      { status: 422, body: loopBack(422, "Invalid", { details: { codes: { serviceId: ["presence"] } } }) },
      PlumeValidationError,
      /Fix serviceId/,
    ],
    ["a LoopBack 403", { status: 403, body: loopBack(403, "Access denied") }, PlumeForbiddenError, /role/],
    [
      "a 401 on a given token",
      { status: 401, body: loopBack(401, "Authorization Required") },
      PlumeAuthError,
      /the `auth.token` option/,
    ],
    ["a 409", { status: 409, body: "conflict" }, PlumeUnexpectedResponseError, /apiUrl/],
    [
      "a 200 that is not JSON",
      { status: 200, body: "<html>login page</html>" },
      PlumeUnexpectedResponseError,
      /apiUrl/,
    ],
  ];
  for (const [what, answer, type, hint] of failures) {
    it(`surfaces ${what} at once as ${type.name} with a hint`, async () => {
      const server = await serve(() => answer);
      const error = await rejection(clientFor(server).patchLocation("c1", "l1", { serviceId: "s" }));
      assert.ok(error instanceof type, `${error.name}: ${error.message}`);
      assert.equal(error.name, type.name);
      assert.equal(error.method, "PATCH");
      assert.equal(error.path, "/api/Customers/c1/locations/l1");
      assert.match(error.hint, hint);
      assert.match(error.message, /Hint: /);
      assert.equal(server.requests.length, 1);
    });
  }

  it("names the field of a 422 from Plume's message and puts Plume's message in the error", async () => {
    const server = await serve(() => ({
      status: 422,
      body: loopBack(422, "profile must be one of auto, smallbusiness"),
    }));
    const error = await rejection(
      clientFor(server).patchLocation("c1", "l1", { serviceId: "s", profile: "auto" }),
    );
    assert.ok(error instanceof PlumeValidationError);
    assert.equal(error.field, "profile");
    assert.equal(error.plumeMessage, "profile must be one of auto, smallbusiness");
  });

  it("charges attempts and backoff to the deadline, then fails with a PlumeTimeoutError", async () => {
    const clock = new FakeClock(10);
    const server = await serve(() => {
      void clock.advance(100); // each attempt's time runs out
      return { stallMs: 60_000 };
    });
    const error = await rejection(
      clientFor(server, { timeoutMs: 100, deadlineMs: 250, clock }).getLocation("c1", "l1"),
    );
    assert.ok(error instanceof PlumeTimeoutError);
    assert.match(error.hint, /the `timeoutMs` option/);
    // 100 + 100 + the 50 ms left: the third attempt ends at the deadline, and no fourth starts.
    assert.equal(server.requests.length, 3);
    assert.equal(error.attempts, 3);
  });

  it("does not charge time queued in the rate limiter to the deadline", async () => {
    const server = await serve(() => ({ status: 200, body: sampleLocation() }));
    const clock = new FakeClock();
    const client = clientFor(server, { windowLimit: 1, windowMs: 400, deadlineMs: 100, clock });
    const first = client.getLocation("c1", "l1");
    const second = client.getLocation("c1", "l2");
    await first;
    await clock.advance(399);
    assert.equal(server.requests.length, 1, "the second call started within the window");
    await clock.advance(1); // 400 ms queued, four times the deadline: still no timeout
    await second;
    assert.equal(server.requests.length, 2);
  });

  it("names options in hints the way describeSetting says", async () => {
    const server = await serve(() => ({ status: 401, body: loopBack(401, "Authorization Required") }));
    const client = clientFor(server, {
      auth: { kind: "token", token: "given-token" },
      describeSetting: (optionPath) => `<${optionPath}>`,
    });
    const error = await rejection(client.getLocation("c9", "l1"));
    assert.ok(error instanceof PlumeAuthError);
    assert.match(error.hint, /The token given in <auth.token> was refused/);
  });

  it("fetches one fresh token after a 401 and retries once, never looping", async () => {
    let tokens = 0;
    const server = await serve((url) =>
      url.startsWith("/oauth2")
        ? { status: 200, body: { token_type: "Bearer", expires_in: 600, access_token: `jwt-${++tokens}` } }
        : { status: 401, body: loopBack(401, "Authorization Required") },
    );
    const client = clientFor(server, {
      auth: oauthAuth(server, "secret-1", "p1"),
    });
    const error = await rejection(client.getLocation("c9", "l1"));
    assert.ok(error instanceof PlumeAuthError);
    assert.match(error.hint, /the `auth.clientId` option/);
    assert.match(error.hint, /customer c9 is probably not visible to partner p1/);
    assert.equal(tokens, 2);
    assert.deepEqual(
      server.requests
        .filter((request) => request.url.startsWith("/api"))
        .map((request) => request.headers.authorization),
      ["Bearer jwt-1", "Bearer jwt-2"],
    );
  });

  it("makes one token request for a burst of 1,000 concurrent calls", async () => {
    const server = await serve((url) =>
      url.startsWith("/oauth2")
        ? { status: 200, body: { token_type: "Bearer", expires_in: 600, access_token: "jwt" } }
        : { status: 200, body: sampleLocation() },
    );
    const client = clientFor(server, {
      auth: oauthAuth(server, "secret-2"),
      maxRequestsPerSecond: 100_000,
      windowLimit: 100_000,
    });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => client.getLocation("c1", `l${i}`)));
    assert.equal(server.requests.filter((request) => request.url.startsWith("/oauth2")).length, 1);
  });

  it("does not loop on tokens that lapse before they can be used", async () => {
    // The token lives 1 ms and the endpoint answers 5 ms after the request: every token has lapsed on
    // arrival, however fast the machine (on loopback a request can come back within the same millisecond).
    const server = await serve((url) =>
      url.startsWith("/oauth2")
        ? new Promise((resolve) =>
            setTimeout(
              () =>
                resolve({
                  status: 200,
                  body: { token_type: "Bearer", expires_in: 0.001, access_token: "short-lived" },
                }),
              5,
            ),
          )
        : { status: 200, body: sampleLocation() },
    );
    const client = clientFor(server, {
      auth: oauthAuth(server, "secret-8"),
    });
    await client.getLocation("c1", "l1");
    const paths = server.requests.map((request) => request.url.split("/")[1]);
    assert.deepEqual(paths, ["oauth2", "oauth2", "oauth2", "api"]);
  });

  it("sends the OAuth2 client-credentials request Plume documents", async () => {
    const server = await serve((url) =>
      url.startsWith("/oauth2")
        ? { status: 200, body: { token_type: "Bearer", expires_in: 600, access_token: "jwt" } }
        : { status: 200, body: sampleLocation() },
    );
    await clientFor(server, {
      auth: oauthAuth(server, "secret-3", "p7"),
    }).getLocation("c1", "l1");
    const [token] = server.requests;
    assert.equal(token.method, "POST");
    assert.equal(token.headers.authorization, `Basic ${Buffer.from("id:secret-3").toString("base64")}`);
    assert.equal(token.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal(token.headers["cache-control"], "no-cache");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(token.body)), {
      grant_type: "client_credentials",
      scope: "partnerId:p7 role:partnerIdAdmin",
    });
  });

  for (const [code, hint] of [
    ["invalid_client", /the `auth.clientSecret` option/],
    ["invalid_scope", /the `auth.partnerId` option/],
  ] as const) {
    it(`surfaces the token endpoint's ${code} as a PlumeTokenError with a hint, without retrying`, async () => {
      const server = await serve(() => ({
        status: 401,
        body: { error: code, error_description: "Client authentication failed" },
      }));
      const error = await rejection(
        clientFor(server, {
          auth: oauthAuth(server, "secret-4"),
        }).getLocation("c1", "l1"),
      );
      assert.ok(error instanceof PlumeTokenError);
      assert.equal(error.code, code);
      assert.match(error.hint, hint);
      assert.equal(error.plumeMessage, "Client authentication failed");
      assert.equal(server.requests.length, 1);
    });
  }

  it("logs in as the admin user and sends the token raw", async () => {
    const server = await serve((url) =>
      url === "/api/Customers/login"
        ? { status: 200, body: { id: "raw-login-token", ttl: 1209600, userId: "u1" } }
        : { status: 200, body: sampleLocation() },
    );
    await clientFor(server, {
      auth: { kind: "login", email: "admin@isp.example", password: "pw-secret-5" },
    }).getLocation("c1", "l1");
    assert.deepEqual(JSON.parse(server.requests[0].body), {
      email: "admin@isp.example",
      password: "pw-secret-5",
    });
    assert.equal(server.requests[1].headers.authorization, "raw-login-token");
  });

  it("logs one line per attempt and never a header, token, secret, Wi-Fi key or password", async () => {
    const server = await serve((url, index) => {
      if (url === "/api/Customers/login") return { status: 200, body: { id: "login-token-6789", ttl: 600 } };
      if (index === 1) return { status: 500 };
      if (index === 2)
        return { status: 422, body: loopBack(422, "bad value for pw-secret-6 and login-token-6789") };
      return { status: 200, body: sampleLocation() };
    });
    const lines: string[] = [];
    const client = clientFor(server, {
      auth: { kind: "login", email: "admin@isp.example", password: "pw-secret-6" },
      debug: true,
      logger: (line) => lines.push(line),
    });
    const error = await rejection(client.patchLocation("c1", "l1", { serviceId: "s" }));
    await client.getLocation("c1", "l1");
    assert.match(lines.join("\n"), /POST \/api\/Customers\/login -> 200 attempt=1 duration=\d+ms/);
    assert.match(
      lines.join("\n"),
      /PATCH \/api\/Customers\/c1\/locations\/l1 -> 500 attempt=1 duration=\d+ms/,
    );
    assert.match(lines.join("\n"), /PATCH \/api\/Customers\/c1\/locations\/l1 -> 422 attempt=2/);
    assert.match(lines.join("\n"), /GET \/api\/Customers\/c1\/locations\/l1 -> 200 attempt=1/);
    const everything = lines.join("\n") + error.message + JSON.stringify(error) + error.stack;
    for (const secret of ["pw-secret-6", "login-token-6789", "wifi-secret-key", "pppoe-secret"]) {
      assert.ok(!everything.includes(secret), `${secret} leaked`);
    }
  });

  it("masks the raw access token and URL-encoded, JSON-escaped and base64 secrets Plume echoes", async () => {
    const secret = 's3cret/with spaces&"quotes"';
    const echoes = [
      "raw-access-token-4711",
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      Buffer.from(secret).toString("base64"),
    ];
    const server = await serve((url) =>
      url.startsWith("/oauth2")
        ? {
            status: 200,
            body: { token_type: "Bearer", expires_in: 600, access_token: "raw-access-token-4711" },
          }
        : { status: 422, body: loopBack(422, `bad serviceId; you sent ${echoes.join(" and ")}`) },
    );
    const lines: string[] = [];
    const client = clientFor(server, {
      auth: oauthAuth(server, secret),
      debug: true,
      logger: (line) => lines.push(line),
    });
    const error = await rejection(client.patchLocation("c1", "l1", { serviceId: "s" }));
    assert.ok(error instanceof PlumeValidationError);
    assert.match(error.plumeMessage ?? "", /bad serviceId; you sent \*\*\*/);
    const everything = lines.join("\n") + error.message + JSON.stringify(error) + error.stack;
    for (const echo of echoes) assert.ok(!everything.includes(echo), `${echo} leaked`);
  });

  it("lets the process exit once idle, even with keep-alive sockets open and a firewall hold in force", async () => {
    const server = await serve((_, index) =>
      index === 0 ? { status: 200, body: sampleLocation() } : { status: 403, body: "<html>blocked</html>" },
    );
    const script = `
      const { PlumeClient } = require(${JSON.stringify(path.resolve(__dirname, "../../provider/client"))});
      let held = false;
      const client = new PlumeClient({
        apiUrl: ${JSON.stringify(server.url)}, auth: { kind: "token", token: "t" }, maxRetries: 0,
        debug: true, logger: (line) => { held = held || line.includes("firewall 403: holding every request"); },
      });
      client.getLocation("c1", "l1")
        .then(() => client.getLocation("c1", "l2"))
        .catch((error) => console.log(error.name, held));
    `;
    const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: path.resolve(__dirname, "../.."),
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // "close", not "exit": the child prints its last line just before it exits, and only "close" comes
    // after everything it wrote has been read.
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    assert.equal(code, 0);
    assert.equal(output.trim(), "PlumeRateLimitError true");
  });

  describe("over TLS", () => {
    const fixtures = path.join(__dirname, "fixtures");
    // A self-signed certificate for 127.0.0.1 and localhost, valid for 100 years, made with:
    // openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
    //   -subj "/CN=pulumi-plume test loopback" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    //   -addext "basicConstraints=critical,CA:TRUE" -keyout loopback-key.pem -out loopback-cert.pem
    const cert = fs.readFileSync(path.join(fixtures, "loopback-cert.pem"), "utf8");
    const key = fs.readFileSync(path.join(fixtures, "loopback-key.pem"), "utf8");
    let server: https.Server;
    let url: string;
    let connections = 0;
    before(async () => {
      server = https.createServer({ cert, key }, (_, res) => {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(sampleLocation()));
      });
      server.on("connection", () => connections++);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it("refuses a certificate it cannot verify, with a hint about caCertificate", async () => {
      const client = new PlumeClient({ apiUrl: url, auth: { kind: "token", token: TOKEN }, ...fast });
      const before = connections;
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeNetworkError);
      assert.match(error.hint, /the `caCertificate` option/);
      assert.equal(connections - before, 1, "one connection: a certificate failure is not retried");
    });

    it("trusts an extra CA given as caCertificate", async () => {
      const client = new PlumeClient({
        apiUrl: url,
        auth: { kind: "token", token: TOKEN },
        caCertificate: cert,
        ...fast,
      });
      assert.equal((await client.getLocation("c1", "l1")).id, "loc-1");
    });
  });
});
