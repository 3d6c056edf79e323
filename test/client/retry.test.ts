import assert from "node:assert/strict";
import type { AttemptOutcome } from "../../provider/client/httpOutcome";
import { backoffDelayMs, decideRetry, parseRetryAfterMs } from "../../provider/client/retry";

function response(status: number, body = "", headers: Record<string, string> = {}): AttemptOutcome {
  let json: unknown;
  try {
    json = body ? JSON.parse(body) : undefined;
  } catch {
    json = undefined;
  }
  return { kind: "response", status, headers, bodyText: body, json };
}

const loopBack403 = '{"error":{"statusCode":403,"name":"Error","message":"Authorization Required"}}';

describe("the retry policy", () => {
  const cases: [string, AttemptOutcome, string][] = [
    ["a timeout", { kind: "timeout", timeoutMs: 10 }, "backoff"],
    ["a reset connection", { kind: "network", code: "ECONNRESET", message: "" }, "backoff"],
    ["a refused connection", { kind: "network", code: "ECONNREFUSED", message: "" }, "backoff"],
    ["a socket hang up", { kind: "network", code: "ECONNRESET", message: "socket hang up" }, "backoff"],
    ["a connection that timed out", { kind: "network", code: "ETIMEDOUT", message: "" }, "backoff"],
    ["a DNS server that did not answer", { kind: "network", code: "EAI_AGAIN", message: "" }, "backoff"],
    ["a broken pipe", { kind: "network", code: "EPIPE", message: "" }, "backoff"],
    ["an unreachable network", { kind: "network", code: "ENETUNREACH", message: "" }, "backoff"],
    ["an unreachable host", { kind: "network", code: "EHOSTUNREACH", message: "" }, "backoff"],
    ["an unknown host", { kind: "network", code: "ENOTFOUND", message: "" }, "fail"],
    ["a bad request option", { kind: "network", code: "ERR_INVALID_CHAR", message: "" }, "fail"],
    ["an answer too large to read", { kind: "network", code: "ERR_BAD_RESPONSE", message: "" }, "fail"],
    ["a failure without a code", { kind: "network", message: "something odd" }, "fail"],
    [
      "a proxy that could not reach Plume",
      {
        kind: "network",
        message: "",
        proxy: {
          address: "p:3128",
          variable: "HTTPS_PROXY",
          target: "t:443",
          sentCredentials: false,
          status: 502,
        },
      },
      "backoff",
    ],
    [
      "a certificate that does not verify",
      { kind: "network", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "" },
      "fail",
    ],
    ["a 500", response(500), "backoff"],
    ["a 502", response(502), "backoff"],
    ["a 503", response(503), "backoff"],
    ["a 504", response(504), "backoff"],
    ["a 501", response(501), "fail"],
    ["a 429", response(429), "holdAll"],
    ["a firewall 403 with an HTML body", response(403, "<html><body>Forbidden</body></html>"), "holdAll"],
    ["a firewall 403 with an empty body", response(403), "holdAll"],
    ["a LoopBack 403", response(403, loopBack403), "fail"],
    ["a 400", response(400), "fail"],
    ["a 404", response(404), "fail"],
    ["a 422", response(422), "fail"],
    ["an API 401", response(401), "reauthenticate"],
  ];
  for (const [what, outcome, action] of cases) {
    it(`answers ${what} with ${action}`, () => {
      assert.equal(decideRetry(outcome, false).action, action);
    });
  }

  it("never answers a token endpoint's 401 by fetching another token", () => {
    assert.equal(decideRetry(response(401), true).action, "fail");
  });

  it("passes a 429's Retry-After on", () => {
    assert.deepEqual(decideRetry(response(429, "", { "retry-after": "3" }), false), {
      action: "holdAll",
      reason: "tooManyRequests",
      retryAfterMs: 3000,
    });
  });

  it("passes a 503's Retry-After on with its backoff", () => {
    assert.deepEqual(decideRetry(response(503, "", { "retry-after": "2" }), false), {
      action: "backoff",
      retryAfterMs: 2000,
    });
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    assert.equal(parseRetryAfterMs("120", now), 120_000);
    assert.equal(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:30 GMT", now), 30_000);
    assert.equal(parseRetryAfterMs("Tue, 31 Dec 2024 00:00:00 GMT", now), 0);
    assert.equal(parseRetryAfterMs("soon", now), undefined);
    assert.equal(parseRetryAfterMs(undefined, now), undefined);
  });

  it("backs off exponentially with full jitter, capped", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, 100, 1000, () => 0.999999)),
      [99, 199, 399, 799, 999, 999],
    );
    assert.equal(
      backoffDelayMs(3, 100, 1000, () => 0),
      0,
    );
  });
});
