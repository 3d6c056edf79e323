import assert from "node:assert/strict";
import { PlumeConfigError, resolveClientOptions, type PlumeClientOptions } from "../../provider/client";
import { isLoopbackHost } from "../../provider/client/options";
import type { Problem } from "../../provider/problem";

const oauth = {
  kind: "oauth" as const,
  tokenUrl: "https://external.sso.plume.com/oauth2/cloud/v1/token",
  clientId: "client",
  clientSecret: "very-secret-value",
  partnerId: "partner",
};

function problemsOf(options: unknown): Problem[] {
  try {
    resolveClientOptions(options as PlumeClientOptions);
  } catch (error) {
    assert.ok(error instanceof PlumeConfigError, String(error));
    return [...error.problems];
  }
  assert.fail("expected a PlumeConfigError");
}

describe("client options", () => {
  it("apply the documented defaults", () => {
    const resolved = resolveClientOptions({ apiUrl: "https://plume.example", auth: oauth });
    assert.equal(resolved.maxRequestsPerSecond, 6);
    assert.equal(resolved.windowLimit, 1800);
    assert.equal(resolved.windowMs, 300_000);
    assert.equal(resolved.maxConcurrency, 10);
    assert.equal(resolved.timeoutMs, 30_000);
    assert.equal(resolved.deadlineMs, 120_000);
    assert.equal(resolved.maxRetries, 5);
    assert.equal(resolved.allowInsecureHttp, false);
  });

  for (const apiUrl of [
    "https://plume.example",
    "https://plume.example/",
    "https://plume.example/api",
    "https://plume.example/api/",
  ]) {
    it(`tolerate the API URL ${apiUrl}`, () => {
      assert.equal(resolveClientOptions({ apiUrl, auth: oauth }).apiBaseUrl, "https://plume.example");
    });
  }

  it("report every problem at once, naming each setting and never a secret", () => {
    const problems = problemsOf({
      apiUrl: "ftp://plume.example",
      auth: { kind: "oauth", tokenUrl: "not a url", clientId: "", clientSecret: "s3cr3t\nx", partnerId: "p" },
      maxRequestsPerSecond: 0,
      windowLimit: 1.5,
      timeoutMs: "soon",
      maxRetries: -1,
      debug: "perhaps",
      caCertificate: "not pem",
    });
    assert.deepEqual(
      problems.map((problem) => problem.path),
      [
        "apiUrl",
        "auth.tokenUrl",
        "auth.clientId",
        "auth.clientSecret",
        "maxRequestsPerSecond",
        "windowLimit",
        "timeoutMs",
        "maxRetries",
        "caCertificate",
        "debug",
      ],
    );
    assert.ok(!JSON.stringify(problems).includes("s3cr3t"));
  });

  it("name a missing credential by its option path, and nothing of Pulumi's names for it", () => {
    const [problem] = problemsOf({
      apiUrl: "https://plume.example",
      auth: { ...oauth, clientSecret: undefined },
    });
    assert.deepEqual([problem.code, problem.path], ["required", "auth.clientSecret"]);
    assert.doesNotMatch(problem.message, /plume:|PLUME_/);
  });

  it("describe a missing token URL as the token endpoint, not as the API host", () => {
    const [problem] = problemsOf({ apiUrl: "https://plume.example", auth: { ...oauth, tokenUrl: "" } });
    assert.deepEqual([problem.code, problem.path], ["required", "auth.tokenUrl"]);
    assert.match(problem.message, /token endpoint, e\.g\. https:\/\/external\.sso\.plume\.com\/oauth2\//);
  });

  it("refuse plain http to a host that is not loopback, unless allowed explicitly", () => {
    const [problem] = problemsOf({ apiUrl: "http://plume.example", auth: oauth });
    assert.match(problem.message, /https/);
    assert.equal(
      resolveClientOptions({ apiUrl: "http://plume.example", auth: oauth, allowInsecureHttp: true })
        .apiBaseUrl,
      "http://plume.example",
    );
  });

  for (const host of ["127.0.0.1", "127.8.9.10", "localhost", "[::1]", "sim.localhost"]) {
    it(`allow plain http to the loopback host ${host}`, () => {
      assert.equal(
        resolveClientOptions({ apiUrl: `http://${host}:8080`, auth: oauth }).apiOrigin,
        `http://${host}:8080`,
      );
    });
  }

  for (const host of ["128.0.0.1", "localhost.evil.example", "10.0.0.1", "::2"]) {
    it(`do not count ${host} as loopback`, () => {
      assert.equal(isLoopbackHost(host), false);
    });
  }

  it("refuse credentials, a query or a fragment in the API URL", () => {
    assert.deepEqual(
      problemsOf({ apiUrl: "https://user:pw@plume.example/?x=1#y", auth: oauth }).map(
        (problem) => problem.path,
      ),
      ["apiUrl", "apiUrl"],
    );
  });

  it("read numbers and booleans given as text, as they come from the environment", () => {
    const resolved = resolveClientOptions({
      apiUrl: "https://plume.example",
      auth: oauth,
      maxRequestsPerSecond: "2.5" as unknown as number,
      debug: "1" as unknown as boolean,
    });
    assert.equal(resolved.maxRequestsPerSecond, 2.5);
    assert.equal(resolved.debug, true);
  });

  it("fail as one PlumeConfigError titled for the client options, pointing to docs/client.md", () => {
    assert.throws(
      () => resolveClientOptions({} as PlumeClientOptions),
      (error: unknown) => {
        assert.ok(error instanceof PlumeConfigError);
        assert.equal(error.name, "PlumeConfigError");
        assert.match(
          error.message,
          /^Invalid Plume client settings \(2 problems\):\n {2}- apiUrl is required/,
        );
        assert.match(error.hint, /docs\/client\.md/);
        return true;
      },
    );
  });

  it("leave debug off unless the option turns it on, whatever PLUME_DEBUG holds (the provider reads it)", () => {
    const saved = process.env.PLUME_DEBUG;
    try {
      process.env.PLUME_DEBUG = "1";
      assert.equal(resolveClientOptions({ apiUrl: "https://plume.example", auth: oauth }).debug, false);
      assert.equal(
        resolveClientOptions({ apiUrl: "https://plume.example", auth: oauth, debug: true }).debug,
        true,
      );
    } finally {
      if (saved === undefined) delete process.env.PLUME_DEBUG;
      else process.env.PLUME_DEBUG = saved;
    }
  });

  for (const [auth, setting] of [
    [{ kind: "login", email: "not-an-email", password: "pw-1234" }, "auth.email"],
    [{ kind: "login", email: "a@b.c" }, "auth.password"],
    [{ kind: "token", token: "" }, "auth.token"],
    [{ kind: "saml" }, "auth.kind"],
    [undefined, "auth"],
  ] as const) {
    it(`reject ${JSON.stringify(auth)} naming ${setting}`, () => {
      assert.deepEqual(
        problemsOf({ apiUrl: "https://plume.example", auth }).map((problem) => problem.path),
        [setting],
      );
    });
  }
});
