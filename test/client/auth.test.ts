import assert from "node:assert/strict";
import {
  LoginTokenSource,
  OAuthTokenSource,
  StaticTokenSource,
  processTokenSource,
  type TokenHttpRequest,
} from "../../provider/client/auth";
import { PlumeTokenError } from "../../provider/client";

const auth = {
  kind: "oauth" as const,
  tokenUrl: "https://sso.example/oauth2/c/v1/token",
  clientId: "id",
  clientSecret: "secret-value",
  partnerId: "p",
};

/** A token endpoint in memory: each request gets `jwt-<n>`, answered when the test says so. */
function tokenEndpoint(lifetimeSeconds = 600) {
  const requests: TokenHttpRequest[] = [];
  const waiting: (() => void)[] = [];
  let automatic = true;
  const send = (request: TokenHttpRequest) => {
    requests.push(request);
    const body = {
      token_type: "Bearer",
      expires_in: lifetimeSeconds,
      access_token: `jwt-${requests.length}`,
    };
    if (automatic) return Promise.resolve(body);
    return new Promise<unknown>((resolve) => waiting.push(() => resolve(body)));
  };
  return {
    send,
    requests,
    hold: () => (automatic = false),
    answerAll: () => waiting.splice(0).forEach((answer) => answer()),
  };
}

describe("token sources", () => {
  it("fetch one token for a burst of concurrent callers", async () => {
    const endpoint = tokenEndpoint();
    endpoint.hold();
    const source = new OAuthTokenSource(auth, () => 0);
    const headers = Array.from({ length: 1000 }, () => source.authorization(endpoint.send));
    endpoint.answerAll();
    assert.deepEqual(new Set(await Promise.all(headers)), new Set(["Bearer jwt-1"]));
    assert.equal(endpoint.requests.length, 1);
  });

  it("renew about 30 s before expiry, in the background, still using the old token meanwhile", async () => {
    let now = 0;
    const endpoint = tokenEndpoint(600);
    const source = new OAuthTokenSource(auth, () => now);
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-1");
    now = 569_000;
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-1");
    assert.equal(endpoint.requests.length, 1);
    endpoint.hold();
    now = 570_000;
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-1"); // renewal started, old one used
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-1"); // no second renewal
    assert.equal(endpoint.requests.length, 2);
    endpoint.answerAll();
    await new Promise(setImmediate); // let the renewal's promise chain finish
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-2");
  });

  it("wait a few seconds after a failed background renewal before trying again", async () => {
    let now = 0;
    const source = new OAuthTokenSource(auth, () => now);
    await source.authorization(tokenEndpoint(600).send);
    let failed = 0;
    const failing = () => {
      failed++;
      return Promise.reject(new PlumeTokenError("token endpoint down", { hint: "h" }));
    };
    now = 570_000;
    for (let call = 0; call < 50; call++) {
      assert.equal(await source.authorization(failing), "Bearer jwt-1");
      await new Promise(setImmediate); // let a failed renewal settle
    }
    assert.equal(failed, 1, "one renewal per API call hammers a failing token endpoint");
    now = 575_000;
    assert.equal(await source.authorization(failing), "Bearer jwt-1");
    assert.equal(failed, 2);
  });

  it("wait for a new token once the old one is about to lapse", async () => {
    let now = 0;
    const endpoint = tokenEndpoint(600);
    const source = new OAuthTokenSource(auth, () => now);
    await source.authorization(endpoint.send);
    now = 596_000;
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-2");
  });

  it("renew a short-lived token at half its life", async () => {
    let now = 0;
    const endpoint = tokenEndpoint(20);
    const source = new OAuthTokenSource(auth, () => now);
    await source.authorization(endpoint.send);
    now = 9_999;
    await source.authorization(endpoint.send);
    assert.equal(endpoint.requests.length, 1);
    now = 10_000;
    await source.authorization(endpoint.send);
    assert.equal(endpoint.requests.length, 2);
  });

  it("replace a stale token once, however many callers report it", async () => {
    const endpoint = tokenEndpoint();
    const source = new OAuthTokenSource(auth, () => 0);
    const stale = await source.authorization(endpoint.send);
    for (let i = 0; i < 100; i++) source.invalidate(stale);
    const fresh = await Promise.all(Array.from({ length: 100 }, () => source.authorization(endpoint.send)));
    for (let i = 0; i < 100; i++) source.invalidate(stale); // late 401s of the stale token change nothing
    assert.deepEqual(new Set(fresh), new Set(["Bearer jwt-2"]));
    assert.equal(await source.authorization(endpoint.send), "Bearer jwt-2");
    assert.equal(endpoint.requests.length, 2);
  });

  it("pass a failed fetch to every waiting caller, and try again on the next call", async () => {
    const source = new OAuthTokenSource(auth, () => 0);
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(new PlumeTokenError("refused", { hint: "h" }));
    };
    const results = await Promise.allSettled([source.authorization(failing), source.authorization(failing)]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
    assert.equal(calls, 1);
    assert.equal(await source.authorization(tokenEndpoint().send), "Bearer jwt-1");
  });

  it("refuse a token endpoint answer without an access token", async () => {
    const source = new OAuthTokenSource(auth, () => 0);
    await assert.rejects(
      source.authorization(async () => ({ token_type: "Bearer" })),
      PlumeTokenError,
    );
  });

  it("log in with e-mail and password and use the raw LoopBack token", async () => {
    const requests: TokenHttpRequest[] = [];
    const source = new LoginTokenSource(
      { kind: "login", email: "a@b.c", password: "pw-value" },
      "https://api.example",
      () => 0,
    );
    const header = await source.authorization(async (request) => {
      requests.push(request);
      return { id: "raw-token", ttl: 1209600 };
    });
    assert.equal(header, "raw-token");
    assert.equal(requests[0].url, "https://api.example/api/Customers/login");
    assert.equal(requests[0].isApiHost, true);
  });

  it("send a given token verbatim and never renew it", async () => {
    const source = new StaticTokenSource("Bearer given");
    assert.equal(source.canRenew, false);
    assert.equal(await source.authorization(), "Bearer given");
  });

  it("are shared by clients with the same credentials, and only those", () => {
    const first = processTokenSource(auth, "https://api.example");
    assert.equal(processTokenSource({ ...auth }, "https://api.example"), first);
    assert.notEqual(
      processTokenSource({ ...auth, clientSecret: "other-secret" }, "https://api.example"),
      first,
    );
  });
});
