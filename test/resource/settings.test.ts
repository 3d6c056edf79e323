// Connection settings: stack config first, then the environment; every problem at once, never a value.
import assert from "node:assert/strict";
import { PlumeConfigError } from "../../provider/client/errors";
import {
  configKey,
  envVar,
  hasConnectionSettings,
  plumeClientFromSettings,
  PlumeSettingsError,
  rateLimitWarnings,
  resolvePlumeSettings,
  TUNING_OPTIONS,
  type SettingsSources,
} from "../../provider/core/settings";
import { formatProblem, type Problem } from "../../provider/problem";

const CANARY = "canary-secret-7f3a";

function sources(config: Record<string, string>, env: Record<string, string> = {}): SettingsSources {
  return { config: (key) => config[key], env };
}

function problemsOf(action: () => unknown): Problem[] {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof PlumeSettingsError);
    assert.doesNotMatch(error.message, new RegExp(CANARY));
    assert.match(error.hint, /pulumi config set plume:/);
    return [...error.problems];
  }
  assert.fail("expected a PlumeSettingsError");
}

describe("Plume connection settings", function () {
  for (const [setting, key, variable] of [
    ["apiUrl", "plume:apiUrl", "PLUME_API_URL"],
    ["clientSecret", "plume:clientSecret", "PLUME_CLIENT_SECRET"],
    ["maxRequestsPerSecond", "plume:maxRequestsPerSecond", "PLUME_MAX_REQUESTS_PER_SECOND"],
    ["timeoutMs", "plume:timeoutMs", "PLUME_TIMEOUT_MS"],
  ]) {
    it(`names ${setting} ${key} in stack config and ${variable} in the environment`, function () {
      assert.equal(configKey(setting), key);
      assert.equal(envVar(setting), variable);
    });
  }

  it("reads OAuth settings from stack config", function () {
    const settings = resolvePlumeSettings(
      sources({
        "plume:apiUrl": "https://api.example",
        "plume:tokenUrl": "https://sso.example/token",
        "plume:clientId": "id",
        "plume:clientSecret": CANARY,
        "plume:partnerId": "p",
      }),
      [],
    );
    assert.deepEqual(settings, {
      apiUrl: "https://api.example",
      auth: {
        kind: "oauth",
        tokenUrl: "https://sso.example/token",
        clientId: "id",
        clientSecret: CANARY,
        partnerId: "p",
      },
      tuning: {},
    });
  });

  it("reads admin login settings from the environment", function () {
    const settings = resolvePlumeSettings(
      sources({}, { PLUME_API_URL: "https://api.example", PLUME_EMAIL: "a@b.c", PLUME_PASSWORD: CANARY }),
      [],
    );
    assert.deepEqual(settings.auth, { kind: "login", email: "a@b.c", password: CANARY });
  });

  it("prefers stack config to the environment, setting by setting", function () {
    const settings = resolvePlumeSettings(
      sources(
        { "plume:apiUrl": "https://from-config", "plume:token": "config-token" },
        { PLUME_API_URL: "https://from-env", PLUME_TOKEN: "env-token" },
      ),
      [],
    );
    assert.equal(settings.apiUrl, "https://from-config");
    assert.deepEqual(settings.auth, { kind: "token", token: "config-token" });
  });

  it("completes one auth mode from both sources (a secret in the environment, the rest in config)", function () {
    const settings = resolvePlumeSettings(
      sources({ "plume:apiUrl": "https://api", "plume:email": "a@b.c" }, { PLUME_PASSWORD: CANARY }),
      [],
    );
    assert.deepEqual(settings.auth, { kind: "login", email: "a@b.c", password: CANARY });
  });

  it("reads the client's tuning options the same way, as text", function () {
    const settings = resolvePlumeSettings(
      sources(
        { "plume:apiUrl": "https://api", "plume:token": "t", "plume:maxRetries": "2" },
        { PLUME_TIMEOUT_MS: "500" },
      ),
      ["maxRetries", "timeoutMs", "windowLimit"],
    );
    assert.deepEqual(settings.tuning, { maxRetries: "2", timeoutMs: "500" });
  });

  it("lists the missing API URL and the missing credentials together, with both ways to set each", function () {
    const problems = problemsOf(() => resolvePlumeSettings(sources({}), []));
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["apiUrl", "auth"],
    );
    assert.match(problems[0].message, /`plume:apiUrl` \(stack config\) or PLUME_API_URL \(environment\)/);
    for (const name of [
      "plume:tokenUrl",
      "PLUME_CLIENT_SECRET",
      "plume:partnerId",
      "PLUME_EMAIL",
      "plume:password",
      "PLUME_TOKEN",
    ]) {
      assert.ok(problems[1].message.includes(name), `${name} is named`);
    }
  });

  it("lists every missing setting of an incomplete auth mode", function () {
    const problems = problemsOf(() =>
      resolvePlumeSettings(sources({ "plume:apiUrl": "https://api", "plume:clientSecret": CANARY }), []),
    );
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["tokenUrl", "clientId", "partnerId"],
    );
    assert.match(
      problems[2].message,
      /`plume:partnerId` \(stack config\) or PLUME_PARTNER_ID \(environment\)/,
    );
  });

  it("refuses settings of two auth modes, naming both, where each value was set, and no value", function () {
    const problems = problemsOf(() =>
      resolvePlumeSettings(
        sources(
          { "plume:apiUrl": "https://api", "plume:token": CANARY },
          { PLUME_PASSWORD: CANARY, PLUME_EMAIL: "e" },
        ),
        [],
      ),
    );
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.path]),
      [["auth-conflict", "auth"]],
    );
    assert.match(
      problems[0].message,
      /admin login \(PLUME_EMAIL \(environment\), PLUME_PASSWORD \(environment\)\) conflicts with a ready token \(`plume:token` \(stack config\)\)/,
    );
    assert.match(problems[0].message, /pulumi config rm plume:<name>.*unset PLUME_<NAME>/);
  });

  it("refuses a placeholder in angle brackets left in a URL or an id, naming it and where it was set", function () {
    const problems = problemsOf(() =>
      resolvePlumeSettings(
        sources(
          {
            "plume:apiUrl": "https://<api-host>",
            "plume:tokenUrl": "https://external.sso.plume.com/oauth2/<cloud-id>/v1/token",
            "plume:clientSecret": CANARY,
          },
          { PLUME_CLIENT_ID: "id", PLUME_PARTNER_ID: "<partner-id>" },
        ),
        [],
      ),
    );
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.path]),
      [
        ["placeholder", "apiUrl"],
        ["placeholder", "tokenUrl"],
        ["placeholder", "partnerId"],
      ],
    );
    assert.match(
      formatProblem(problems[1]),
      /^tokenUrl still holds the placeholder `<cloud-id>`, set in `plume:tokenUrl` \(stack config\)/,
    );
    assert.match(
      problems[2].message,
      /the placeholder `<partner-id>`, set in PLUME_PARTNER_ID \(environment\)/,
    );
  });

  it("refuses a secret that is nothing but a placeholder without showing it, and accepts angle brackets inside a real one", function () {
    const placeholder = "<canary-secret-7f3a>";
    const base = {
      "plume:apiUrl": "https://api",
      "plume:tokenUrl": "https://sso/token",
      "plume:clientId": "id",
      "plume:partnerId": "p",
    };
    const problems = problemsOf(() =>
      resolvePlumeSettings(sources({ ...base, "plume:clientSecret": placeholder }), []),
    );
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["clientSecret"],
    );
    assert.match(formatProblem(problems[0]), /clientSecret still holds a placeholder in angle brackets/);
    assert.doesNotMatch(problems[0].message, /canary/);

    const settings = resolvePlumeSettings(sources({ ...base, "plume:clientSecret": `a<${CANARY}>b` }), []);
    assert.equal(settings.auth.kind, "oauth");
  });

  for (const [config, env, expected] of [
    [{}, {}, false],
    [{ "plume:maxRetries": "2" }, { PLUME_DEBUG: "1" }, false],
    [{ "plume:apiUrl": "https://api" }, {}, true],
    [{}, { PLUME_TOKEN: "t" }, true],
    [{ "plume:clientSecret": "s" }, {}, true],
  ] as const) {
    it(`counts ${JSON.stringify({ ...config, ...env })} as ${expected ? "" : "no "}connection settings`, function () {
      assert.equal(hasConnectionSettings(sources({ ...config }, { ...env })), expected);
    });
  }

  it("warns of a windowLimit above Plume's firewall and a maxRequestsPerSecond above its advice, saying what Plume allows", function () {
    const warnings = rateLimitWarnings(
      sources({ "plume:windowLimit": "2001" }, { PLUME_MAX_REQUESTS_PER_SECOND: "6.5" }),
    );
    assert.deepEqual(
      warnings.map((warning) => warning.path),
      ["windowLimit", "maxRequestsPerSecond"],
    );
    assert.match(
      warnings[0].message,
      /^`plume:windowLimit` \(stack config\) is 2001, above what Plume allows: Plume's firewall allows 2,000 calls in a rolling five-minute window from one source IP .* leave windowLimit and windowMs unset \(default 1800 per 300000 ms\) or keep to at most 2000 per five minutes\.$/,
    );
    assert.match(
      warnings[1].message,
      /^PLUME_MAX_REQUESTS_PER_SECOND \(environment\) is 6\.5, above what Plume allows: Plume advises at most 6 requests per second\. .*default 6\) or set at most 6\.$/,
    );
  });

  it("warns of a windowLimit that a short windowMs lets through more than 2,000 times in five minutes", function () {
    const warnings = rateLimitWarnings(sources({ "plume:windowLimit": "95", "plume:windowMs": "5000" }));
    assert.deepEqual(
      warnings.map(
        (warning) => warning.message.match(/is 95 per 5000 ms, up to (\d+) calls in five minutes/)?.[1],
      ),
      ["5700"],
    );
    assert.deepEqual(
      rateLimitWarnings(sources({ "plume:windowLimit": "300", "plume:windowMs": "60000" })),
      [],
    );
  });

  it("warns of a windowLimit above 2,000 even over a window longer than five minutes", function () {
    const warnings = rateLimitWarnings(sources({ "plume:windowLimit": "3000", "plume:windowMs": "600000" }));
    assert.deepEqual(
      warnings.map((warning) => warning.path),
      ["windowLimit"],
    );
  });

  it("does not warn of rates within Plume's limits, or of values that are no number (the client reports those)", function () {
    assert.deepEqual(
      rateLimitWarnings(sources({ "plume:windowLimit": "2000", "plume:maxRequestsPerSecond": "6" })),
      [],
    );
    assert.deepEqual(rateLimitWarnings(sources({ "plume:windowLimit": "lots" })), []);
  });

  it("reports a key of the plume namespace that is no setting, with the likely meant one", function () {
    const config = {
      "plume:apiUrl": "https://api",
      "plume:token": "t",
      "plume:clientSecert": CANARY,
      "plume:APIURL": "x",
      "plume:colour": "blue",
      "aws:region": "eu-west-1",
    };
    const problems = problemsOf(() =>
      resolvePlumeSettings(
        { config: (key) => config[key as keyof typeof config], env: {}, configKeys: Object.keys(config) },
        [],
      ),
    );
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.path]),
      [
        ["unknown-setting", "clientSecert"],
        ["unknown-setting", "APIURL"],
        ["unknown-setting", "colour"],
      ],
    );
    assert.match(
      problems[0].message,
      /`plume:clientSecert` is not a pulumi-plume setting \(did you mean `plume:clientSecret`\?\)/,
    );
    assert.match(problems[1].message, /did you mean `plume:apiUrl`/);
    assert.doesNotMatch(problems[2].message, /did you mean/);
  });

  it("names a value the client refuses with both ways to set it, once", function () {
    const problems = problemsOf(() =>
      plumeClientFromSettings(
        sources(
          { "plume:apiUrl": "https://api", "plume:clientId": "id", "plume:partnerId": "p" },
          {
            PLUME_TOKEN_URL: "not a url",
            PLUME_CLIENT_SECRET: CANARY,
          },
        ),
      ),
    );
    assert.deepEqual(
      problems.map((problem) => [problem.code, problem.path]),
      [["invalid-url", "tokenUrl"]],
    );
    assert.equal(
      formatProblem(problems[0]),
      'tokenUrl is not a valid URL: "not a url" (set in `plume:tokenUrl` (stack config) or PLUME_TOKEN_URL (environment))',
    );
  });

  it("throws one PlumeConfigError named PlumeSettingsError, titled and hinted for stack config", function () {
    assert.throws(
      () => resolvePlumeSettings(sources({}), []),
      (error: unknown) => {
        assert.ok(error instanceof PlumeConfigError && error instanceof PlumeSettingsError);
        assert.equal(error.name, "PlumeSettingsError");
        assert.match(
          error.message,
          /^Invalid Plume connection settings \(2 problems\):\n {2}- apiUrl is not set/,
        );
        assert.match(error.message, /\nHint: Set each setting in stack config/);
        return true;
      },
    );
  });

  it("reads PLUME_DEBUG as the client's debug option", function () {
    const settings = resolvePlumeSettings(
      sources({}, { PLUME_API_URL: "https://api", PLUME_TOKEN: "t", PLUME_DEBUG: "1" }),
      TUNING_OPTIONS,
    );
    assert.deepEqual(settings.tuning, { debug: "1" });
  });

  it("treats an empty value as not set", function () {
    const problems = problemsOf(() =>
      resolvePlumeSettings(sources({ "plume:apiUrl": "", "plume:token": "t" }), []),
    );
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["apiUrl"],
    );
  });
});
