// Connection settings through the host: the three auth modes, stack config and environment, and the one
// error that lists every problem with both ways to set each.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import { ProviderHost, ProviderHostError } from "../../support/providerHost";
import {
  assertNoCanary,
  CANARY,
  CUSTOMER,
  location,
  oauthConfig,
  props,
  startConfiguredHost,
  startSeededSimulator,
} from "./fixtures";

/** Fetches an OAuth access token from the simulator, as a token obtained elsewhere would be. */
async function fetchAccessToken(sim: RunningSimulator): Promise<string> {
  const basic = Buffer.from(`${sim.credentials.clientId}:${sim.credentials.clientSecret}`).toString("base64");
  const response = await fetch(sim.tokenUrl, {
    method: "POST",
    headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: `grant_type=client_credentials&scope=${encodeURIComponent(`partnerId:${sim.credentials.partnerId} role:partnerIdAdmin`)}`,
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

type Scenario = "oauth" | "login" | "token" | "none";

describe("connection settings of the provider", function () {
  let sim: RunningSimulator;
  let token: string;
  const hosts = new Map<Scenario, ProviderHost>();

  /** Stack config and environment of each scenario; each runs in its own provider process. */
  function scenarios(): Record<Scenario, { config: Record<string, string>; env: Record<string, string> }> {
    return {
      // Stack config wins over the environment, setting by setting: these variables must be ignored.
      oauth: {
        config: oauthConfig(sim),
        env: { PLUME_API_URL: "http://127.0.0.1:9", PLUME_CLIENT_ID: "nobody" },
      },
      login: {
        config: {},
        env: {
          PLUME_API_URL: sim.url,
          PLUME_EMAIL: sim.credentials.email,
          PLUME_PASSWORD: CANARY.password,
          PLUME_MAX_RETRIES: "0",
        },
      },
      token: { config: { "plume:apiUrl": sim.url, "plume:token": token }, env: {} },
      // No usable setting at all; a misspelt key is reported with the one it probably meant.
      none: { config: { "plume:apiURL": "https://misspelt.example" }, env: {} },
    };
  }

  before(async function () {
    this.timeout(120_000);
    sim = await startSeededSimulator();
    token = `Bearer ${await fetchAccessToken(sim)}`;
    // Start every host at once and load the provider in each (the first call loads it), to keep this file fast.
    await Promise.all(
      Object.entries(scenarios()).map(async ([scenario, { config, env }]) => {
        const host = await startConfiguredHost(config, { env });
        hosts.set(scenario as Scenario, host);
        await host.check({}, await props(1, "warm-up"));
      }),
    );
  });

  after(async function () {
    for (const host of hosts.values()) assertNoCanary(host.allLogText, "the host's output");
    await Promise.all([...hosts.values()].map((host) => host.close()));
    await sim?.close();
  });

  function host(scenario: Scenario): ProviderHost {
    const found = hosts.get(scenario);
    assert.ok(found, `no host for ${scenario}`);
    return found;
  }

  /** Creates on location `index` and returns how the API calls authenticated. */
  async function createAndCollectAuth(scenario: Scenario, index: number): Promise<string[]> {
    sim.resetCounters();
    const checked = await host(scenario).check({}, await props(index, `SVC-${index}`));
    const created = await host(scenario).create(checked.inputs);
    assert.equal(created.properties.serviceId, `SVC-${index}`);
    assert.equal(sim.state.getLocation(CUSTOMER, location(index))?.serviceId, `SVC-${index}`);
    const apiCalls = sim.requestLog().filter((entry) => entry.path.startsWith(`/api/Customers/${CUSTOMER}`));
    return [...new Set(apiCalls.map((entry) => entry.authScheme))];
  }

  /** Runs create in `scenario` (as an engine that skipped check would) and returns the error's message. */
  async function createError(scenario: Scenario, index: number): Promise<string> {
    try {
      await host(scenario).create(await props(index, `SVC-${index}`));
    } catch (error) {
      assert.ok(error instanceof ProviderHostError);
      assertNoCanary(error.details, "the error");
      return error.details;
    }
    assert.fail("create succeeded");
  }

  it("authenticates with OAuth client credentials from stack config, preferred to the environment, with the token its first check fetched", async function () {
    assert.deepEqual(await createAndCollectAuth("oauth", 30), ["bearer"]);
    assert.equal(sim.counters().tokenRequests, 0, "the warm-up check's token serves the create");
  });

  it("authenticates with an admin login from the environment alone, logged in by its first check", async function () {
    assert.deepEqual(await createAndCollectAuth("login", 31), ["raw"]);
    assert.equal(sim.counters().logins, 0, "the warm-up check's login serves the create");
  });

  it("authenticates with a ready token from stack config, sent as given", async function () {
    assert.deepEqual(await createAndCollectAuth("token", 32), ["bearer"]);
    assert.equal(sim.requestLog().filter((entry) => entry.path === new URL(sim.tokenUrl).pathname).length, 0);
    assert.ok(!host("token").allLogText.includes(token));
  });

  it("fails check on a misspelt key alone, and create listing every problem", async function () {
    const checked = await host("none").check({}, await props(34, "SVC-34"));
    assert.equal(checked.failures.length, 1);
    assert.match(checked.failures[0].reason, /`plume:apiURL` is not a pulumi-plume setting/);

    const message = await createError("none", 34);
    assert.match(
      message,
      /^Could not create PlumeLocationService for location [^:]+: Invalid Plume connection settings \(3 problems\)/,
    );
    for (const way of [
      "`plume:apiUrl` (stack config) or PLUME_API_URL (environment)",
      "`plume:clientSecret`",
      "PLUME_EMAIL",
      "`plume:token`",
    ]) {
      assert.ok(message.includes(way), `${way} is named in: ${message}`);
    }
    assert.match(message, /`plume:apiURL` is not a pulumi-plume setting \(did you mean `plume:apiUrl`\?\)/);
    assert.match(message, /\nHint: Set each setting in stack config/);
  });
});
