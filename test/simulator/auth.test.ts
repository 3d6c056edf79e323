import assert from "node:assert/strict";
import {
  basic,
  loginToken,
  ManualClock,
  oauthToken,
  requestToken,
  scopeFor,
  send,
  useSimulator,
} from "./support";

const OTHER_PARTNER = { clientId: "other-client", clientSecret: "other-secret", partnerId: "other-partner" };

describe("simulator: token endpoint", () => {
  const clock = new ManualClock();
  const sim = useSimulator(() => ({
    now: clock.now,
    tokenTtlSeconds: 300,
    oauthClients: [OTHER_PARTNER],
    seed: { customers: [{ id: "c1", locations: [{ id: "l1" }] }] },
  }));

  it("issues an Okta-style Bearer token with the configured lifetime", async () => {
    const answer = await requestToken(sim.current(), {
      grant_type: "client_credentials",
      scope: scopeFor("sim-partner"),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.token_type, "Bearer");
    assert.equal(answer.json.expires_in, 300);
    assert.equal(answer.json.scope, "partnerId:sim-partner role:partnerIdAdmin");
    assert.match(answer.json.access_token, /^[\w-]+\.[\w-]+\.[\w-]+$/, "looks like a JWT");
    assert.equal(answer.headers["cache-control"], "no-store");
    const claims = JSON.parse(Buffer.from(answer.json.access_token.split(".")[1], "base64url").toString());
    assert.equal(claims.cid, "sim-client");
    assert.equal(claims.exp - claims.iat, 300);
    assert.equal(claims.iss, `${sim.current().url}/oauth2/sim-cloud`);
  });

  it("serves the token URL under the cloud id", () => {
    assert.equal(sim.current().tokenUrl, `${sim.current().url}/oauth2/sim-cloud/v1/token`);
  });

  const goodForm = { grant_type: "client_credentials", scope: scopeFor("sim-partner") };
  const rows: Array<{
    name: string;
    status: number;
    error: string;
    form?: Record<string, string>;
    auth?: string;
    contentType?: string;
    method?: string;
  }> = [
    { name: "a wrong secret", status: 401, error: "invalid_client", auth: basic("sim-client", "wrong") },
    { name: "an unknown client", status: 401, error: "invalid_client", auth: basic("nobody", "sim-secret") },
    { name: "no Authorization header", status: 401, error: "invalid_client", auth: "" },
    { name: "a Bearer header instead of Basic", status: 401, error: "invalid_client", auth: "Bearer abc" },
    {
      name: "Basic credentials without a colon",
      status: 401,
      error: "invalid_client",
      auth: `Basic ${Buffer.from("sim-client").toString("base64")}`,
    },
    {
      name: "no grant_type",
      status: 400,
      error: "invalid_request",
      form: { scope: scopeFor("sim-partner") },
    },
    {
      name: "the password grant",
      status: 400,
      error: "unsupported_grant_type",
      form: { grant_type: "password", scope: scopeFor("sim-partner") },
    },
    { name: "no scope", status: 400, error: "invalid_scope", form: { grant_type: "client_credentials" } },
    {
      name: "another partner's scope",
      status: 400,
      error: "invalid_scope",
      form: { grant_type: "client_credentials", scope: scopeFor("other-partner") },
    },
    {
      name: "a scope without the admin role",
      status: 400,
      error: "invalid_scope",
      form: { grant_type: "client_credentials", scope: "partnerId:sim-partner" },
    },
    {
      name: "an extra scope",
      status: 400,
      error: "invalid_scope",
      form: { grant_type: "client_credentials", scope: `${scopeFor("sim-partner")} openid` },
    },
    { name: "a JSON body", status: 400, error: "invalid_request", contentType: "application/json" },
    { name: "a GET", status: 405, error: "invalid_request", method: "GET" },
  ];
  for (const row of rows) {
    it(`answers ${row.status} ${row.error} to ${row.name}`, async () => {
      const headers: Record<string, string> = {
        "content-type": row.contentType ?? "application/x-www-form-urlencoded",
      };
      const auth = row.auth ?? basic("sim-client", "sim-secret");
      if (auth !== "") headers.authorization = auth;
      const answer = await send(sim.current().tokenUrl, {
        method: row.method ?? "POST",
        headers,
        body: row.method === "GET" ? undefined : new URLSearchParams(row.form ?? goodForm).toString(),
      });
      assert.equal(answer.status, row.status, answer.text);
      assert.equal(answer.json.error, row.error);
      assert.equal(typeof answer.json.error_description, "string");
      assert.ok(!answer.text.includes("sim-secret"), "never echoes the secret");
      assert.equal(sim.current().counters().tokensIssued, 0);
    });
  }

  it("accepts a form-encoded client secret in the Basic header (RFC 6749)", async () => {
    const answer = await requestToken(
      sim.current(),
      goodForm,
      basic("sim-client", encodeURIComponent("sim-secret")),
    );
    assert.equal(answer.status, 200);
  });

  it("answers 404 on a token URL of another cloud id", async () => {
    const answer = await send(`${sim.current().url}/oauth2/other-cloud/v1/token`, { method: "POST" });
    assert.equal(answer.status, 404);
  });

  it("is not counted as an API call", async () => {
    await oauthToken(sim.current());
    const counters = sim.current().counters();
    assert.equal(counters.tokenRequests, 1);
    assert.equal(counters.tokensIssued, 1);
    assert.equal(counters.apiCalls, 0);
  });
});

describe("simulator: admin login", () => {
  const sim = useSimulator();

  it("returns a LoopBack token with ttl, created and userId", async () => {
    const answer = await send(`${sim.current().url}/api/Customers/login`, {
      method: "POST",
      body: { email: "admin@sim.local", password: "sim-password" },
    });
    assert.equal(answer.status, 200);
    assert.match(answer.json.id, /^[\w-]{64}$/);
    assert.equal(answer.json.ttl, 1209600);
    assert.ok(!Number.isNaN(Date.parse(answer.json.created)));
    assert.equal(typeof answer.json.userId, "string");
    assert.equal(sim.current().counters().loginsSucceeded, 1);
  });

  const rows: Array<[string, unknown, number, string]> = [
    ["a wrong password", { email: "admin@sim.local", password: "nope" }, 401, "LOGIN_FAILED"],
    ["an unknown user", { email: "who@sim.local", password: "sim-password" }, 401, "LOGIN_FAILED"],
    ["no password", { email: "admin@sim.local" }, 401, "LOGIN_FAILED"],
    ["no email", { password: "sim-password" }, 400, "USERNAME_EMAIL_REQUIRED"],
    ["a JSON array", ["admin@sim.local"], 400, "INVALID_BODY"],
  ];
  for (const [name, body, status, code] of rows) {
    it(`answers ${status} ${code} to ${name}`, async () => {
      const answer = await send(`${sim.current().url}/api/Customers/login`, { method: "POST", body });
      assert.equal(answer.status, status);
      assert.equal(answer.json.error.statusCode, status);
      assert.equal(answer.json.error.code, code);
      assert.equal(sim.current().counters().loginsSucceeded, 0);
    });
  }
});

describe("simulator: API authorization", () => {
  const clock = new ManualClock();
  const sim = useSimulator(() => ({
    now: clock.now,
    tokenTtlSeconds: 600,
    loginTtlSeconds: 3600,
    oauthClients: [OTHER_PARTNER],
    adminUsers: [{ email: "other@sim.local", password: "other-password", partnerId: "other-partner" }],
    seed: {
      customers: [
        { id: "c1", locations: [{ id: "l1" }] },
        { id: "c-other", partnerId: "other-partner", locations: [{ id: "l9" }] },
      ],
    },
  }));
  const getLocation = (authorization: string | undefined, customerId = "c1", locationId = "l1") =>
    send(`${sim.current().url}/api/Customers/${customerId}/locations/${locationId}`, {
      headers: authorization === undefined ? {} : { authorization },
    });

  const assertUnauthorized = async (
    authorization: string | undefined,
    customerId?: string,
    locationId?: string,
  ) => {
    const answer = await getLocation(authorization, customerId, locationId);
    assert.equal(answer.status, 401, answer.text);
    assert.deepEqual(answer.json, {
      error: {
        statusCode: 401,
        name: "Error",
        message: "Authorization Required",
        code: "AUTHORIZATION_REQUIRED",
      },
    });
  };

  it("answers 401 without a token", async () => {
    await assertUnauthorized(undefined);
    await assertUnauthorized("");
  });

  it("answers 401 to a malformed or unknown token", async () => {
    await assertUnauthorized("Bearer not-a-token");
    await assertUnauthorized("Bearer");
    await assertUnauthorized("garbage");
    await assertUnauthorized(basic("sim-client", "sim-secret"));
  });

  it("answers 401 to an OAuth token sent raw (no Bearer)", async () => {
    const token = await oauthToken(sim.current());
    await assertUnauthorized(token);
    assert.equal((await getLocation(`Bearer ${token}`)).status, 200);
  });

  it("answers 401 to a login token sent as Bearer", async () => {
    const token = await loginToken(sim.current());
    await assertUnauthorized(`Bearer ${token}`);
    assert.equal((await getLocation(token)).status, 200);
  });

  it("accepts the Bearer scheme word in any case", async () => {
    const token = await oauthToken(sim.current());
    assert.equal((await getLocation(`bearer ${token}`)).status, 200);
  });

  it("answers 401 for another partner's customer, and 200 to that partner", async () => {
    const token = await oauthToken(sim.current());
    await assertUnauthorized(`Bearer ${token}`, "c-other", "l9");
    const list = await send(`${sim.current().url}/api/Customers/c-other/locations`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(list.status, 401);

    const otherToken = await send(sim.current().tokenUrl, {
      method: "POST",
      headers: {
        authorization: basic("other-client", "other-secret"),
        "content-type": "application/x-www-form-urlencoded",
      },
      body: `grant_type=client_credentials&scope=${encodeURIComponent(scopeFor("other-partner"))}`,
    });
    assert.equal((await getLocation(`Bearer ${otherToken.json.access_token}`, "c-other", "l9")).status, 200);
    await assertUnauthorized(`Bearer ${otherToken.json.access_token}`, "c1", "l1");
  });

  it("lets an admin-login token act for its user's partner only", async () => {
    const login = await send(`${sim.current().url}/api/Customers/login`, {
      method: "POST",
      body: { email: "other@sim.local", password: "other-password" },
    });
    assert.equal((await getLocation(login.json.id, "c-other", "l9")).status, 200);
    await assertUnauthorized(login.json.id, "c1", "l1");
  });

  it("answers 401 for a customer that does not exist", async () => {
    await assertUnauthorized(`Bearer ${await oauthToken(sim.current())}`, "c-missing", "l1");
  });

  it("expires an OAuth token exactly at expires_in", async () => {
    const token = await oauthToken(sim.current());
    clock.advance(600_000 - 1);
    assert.equal((await getLocation(`Bearer ${token}`)).status, 200);
    clock.advance(1);
    await assertUnauthorized(`Bearer ${token}`);
  });

  it("expires a login token after its ttl", async () => {
    const token = await loginToken(sim.current());
    clock.advance(3_600_000 - 1);
    assert.equal((await getLocation(token)).status, 200);
    clock.advance(1);
    await assertUnauthorized(token);
  });

  it("expires tokens when the clock is advanced through the simulator too", async () => {
    const token = await oauthToken(sim.current());
    sim.current().advanceClock(600_000);
    await assertUnauthorized(`Bearer ${token}`);
  });

  it("revokes every token at once, and new tokens work afterwards", async () => {
    const oauth = await oauthToken(sim.current());
    const login = await loginToken(sim.current());
    assert.equal(sim.current().faults.revokeAllTokens(), 2);
    await assertUnauthorized(`Bearer ${oauth}`);
    await assertUnauthorized(login);
    assert.equal((await getLocation(`Bearer ${await oauthToken(sim.current())}`)).status, 200);
  });

  it("rejects a token issued by another simulator", async () => {
    const { startSimulator } = await import("../../simulator");
    const other = await startSimulator();
    try {
      const foreign = await oauthToken(other);
      await assertUnauthorized(`Bearer ${foreign}`);
    } finally {
      await other.close();
    }
  });
});
