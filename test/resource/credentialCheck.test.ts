// The credential check through the real dynamic-provider host: the first check or diff of a process verifies
// the connection settings once (one token request, no location call), settings that cannot be right fail at
// check, and a process without any connection setting checks inputs only and says so once.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import type { ProviderHost } from "../../support/providerHost";
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

/** How often `text` occurs in `output`. */
function occurrences(output: string, text: string): number {
  return output.split(text).length - 1;
}

/** Location calls the simulator saw: GETs, lists and PATCHes of locations. */
function locationCalls(sim: RunningSimulator): number {
  const { gets, lists, patches } = sim.counters();
  return gets + lists + patches;
}

const NOTHING_VERIFIED = "so nothing was verified against Plume";

describe("the credential check of a provider process", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  const hosts: ProviderHost[] = [];

  before(async function () {
    sim = await startSeededSimulator();
  });

  beforeEach(() => sim.resetCounters());

  after(async function () {
    await Promise.all(hosts.map((host) => host.close()));
    for (const host of hosts) assertNoCanary(host.allLogText, "the host's output");
    await sim?.close();
  });

  async function startHost(config: Record<string, string>, env: Record<string, string> = {}) {
    const host = await startConfiguredHost(config, { env });
    hosts.push(host);
    return host;
  }

  /** Checks locations `indexes` at once, as the engine checks a fleet, and returns each check's failures. */
  async function checkAtOnce(host: ProviderHost, indexes: number[]) {
    return Promise.all(
      indexes.map(async (index) => (await host.check({}, await props(index, `SVC-${index}`))).failures),
    );
  }

  it("verifies OAuth credentials once for twenty concurrent checks: one token request, no location call", async function () {
    const host = await startHost(oauthConfig(sim));

    const failures = await checkAtOnce(
      host,
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
    );

    assert.deepEqual(failures.flat(), []);
    assert.equal(sim.counters().tokenRequests, 1);
    assert.equal(locationCalls(sim), 0);
  });

  it("serves the creates after the check with the token the check fetched", async function () {
    const host = await startHost(oauthConfig(sim));
    const news = await props(21, "SVC-21");

    const checked = await host.check({}, news);
    const diff = await host.diff(
      `${CUSTOMER}/${location(21)}`,
      { ...news, serviceId: "OLD" },
      checked.inputs,
    );
    await host.create(checked.inputs);

    assert.equal(diff.changes, "some");
    assert.equal(sim.counters().tokenRequests, 1);
    assert.equal(sim.counters().patches, 1);
    assert.equal(sim.state.getLocation(CUSTOMER, location(21))?.serviceId, "SVC-21");
  });

  it("fails every check of a process whose client secret Plume refuses, with the usual hint, after one token request", async function () {
    const host = await startHost({ ...oauthConfig(sim), "plume:clientSecret": "not-the-secret" });

    const failures = await checkAtOnce(host, [1, 2, 3]);

    for (const failed of failures) {
      assert.equal(failed.length, 1);
      assert.equal(failed[0].property, "");
      assert.match(failed[0].reason, /^Plume's token endpoint refused to issue a token \(invalid_client\)/);
      assert.match(failed[0].reason, /\nHint: Check clientId \(plume:clientId \/ PLUME_CLIENT_ID\)/);
    }
    assert.equal(sim.counters().tokenRequests, 1);
    assert.equal(locationCalls(sim), 0);
  });

  it("fails a diff the same way when no check came first, still with one token request", async function () {
    const host = await startHost({ ...oauthConfig(sim), "plume:clientSecret": "not-the-secret" });
    const news = await props(1, "SVC-1");

    const errors = await Promise.all(
      [1, 2].map(() =>
        host.diff(`${CUSTOMER}/${location(1)}`, news, news).then(
          () => undefined,
          (error: Error) => error,
        ),
      ),
    );

    for (const error of errors) assert.match(String(error), /invalid_client/);
    assert.equal(sim.counters().tokenRequests, 1);
    assert.equal(locationCalls(sim), 0);
  });

  it("verifies an admin login once, through the login on the API host, with no location call", async function () {
    const host = await startHost({
      "plume:apiUrl": sim.url,
      "plume:email": sim.credentials.email,
      "plume:password": CANARY.password,
    });

    const failures = await checkAtOnce(host, [1, 2, 3]);

    assert.deepEqual(failures.flat(), []);
    assert.equal(sim.counters().loginsSucceeded, 1);
    assert.equal(locationCalls(sim), 0);
  });

  it("sends nothing for a ready token, which only a location call could verify", async function () {
    const host = await startHost({ "plume:apiUrl": sim.url, "plume:token": "Bearer not-checked-here" });

    const failures = await checkAtOnce(host, [1, 2]);

    assert.deepEqual(failures.flat(), []);
    assert.deepEqual(sim.requestLog(), []);
  });

  it("fails check before any request on a placeholder left in tokenUrl, naming it and both ways to set it", async function () {
    const host = await startHost({
      ...oauthConfig(sim),
      "plume:tokenUrl": "https://external.sso.plume.com/oauth2/<cloud-id>/v1/token",
    });

    const [failed] = await checkAtOnce(host, [1]);

    assert.equal(failed.length, 1);
    assert.match(failed[0].reason, /^Invalid Plume connection settings \(1 problem\)/);
    assert.match(
      failed[0].reason,
      /tokenUrl still holds the placeholder `<cloud-id>`, set in `plume:tokenUrl` \(stack config\): replace it .*`plume:tokenUrl` \(stack config\) or PLUME_TOKEN_URL \(environment\)/,
    );
    assert.deepEqual(sim.requestLog(), []);
  });

  it("fails check before any request on a malformed apiUrl", async function () {
    const host = await startHost({
      ...oauthConfig(sim),
      "plume:apiUrl": "piranha-gamma.prod.us-west-2.aws.plumenet.io",
    });

    const [failed] = await checkAtOnce(host, [1]);

    assert.equal(failed.length, 1);
    assert.match(
      failed[0].reason,
      /apiUrl is not a valid URL: "piranha-gamma\.prod\.us-west-2\.aws\.plumen.*\(set in `plume:apiUrl` \(stack config\) or PLUME_API_URL \(environment\)\)/,
    );
    assert.deepEqual(sim.requestLog(), []);
  });

  it("fails check listing every missing piece of a half-configured auth mode, with no request", async function () {
    const host = await startHost({ "plume:apiUrl": sim.url, "plume:tokenUrl": sim.tokenUrl });

    const [failed] = await checkAtOnce(host, [1]);

    assert.equal(failed.length, 1);
    assert.match(failed[0].reason, /^Invalid Plume connection settings \(3 problems\)/);
    for (const setting of ["clientId", "clientSecret", "partnerId"]) {
      assert.match(
        failed[0].reason,
        new RegExp(`${setting} is not set but OAuth client credentials needs it`),
      );
    }
    assert.deepEqual(sim.requestLog(), []);
  });

  it("names the source of each value when a stray PLUME_TOKEN meets OAuth stack config", async function () {
    const host = await startHost(oauthConfig(sim), { PLUME_TOKEN: "Bearer stray" });

    const [failed] = await checkAtOnce(host, [1]);

    assert.equal(failed.length, 1);
    assert.match(
      failed[0].reason,
      /OAuth client credentials \(`plume:tokenUrl` \(stack config\), `plume:clientId` \(stack config\), .*\) conflicts with a ready token \(PLUME_TOKEN \(environment\)\)/,
    );
    assert.deepEqual(sim.requestLog(), []);
  });

  it("checks the inputs of a process without any connection setting, and says once that nothing was verified", async function () {
    const host = await startHost({});

    const failures = await checkAtOnce(host, [1, 2, 3]);
    const diff = await host.diff(
      `${CUSTOMER}/${location(1)}`,
      await props(1, "OLD"),
      await props(1, "SVC-1"),
    );
    await host.close();

    assert.deepEqual(failures.flat(), []);
    assert.equal(diff.changes, "some");
    assert.equal(occurrences(host.stderr, NOTHING_VERIFIED), 1);
    assert.deepEqual(sim.requestLog(), []);
  });

  it("says nothing about unverified settings when they were verified", async function () {
    const host = await startHost(oauthConfig(sim));

    await checkAtOnce(host, [1, 2]);
    await host.close();

    assert.equal(occurrences(host.stderr, NOTHING_VERIFIED), 0);
  });

  it("warns once, saying what Plume allows, of a windowLimit above 2,000 and a maxRequestsPerSecond above 6", async function () {
    const host = await startHost(oauthConfig(sim), {
      PLUME_WINDOW_LIMIT: "5000",
      PLUME_MAX_REQUESTS_PER_SECOND: "20",
    });

    await checkAtOnce(host, [1, 2]);
    await host.create(await props(22, "SVC-22"));
    await host.close();

    assert.equal(
      occurrences(
        host.stderr,
        "pulumi-plume: warning: PLUME_WINDOW_LIMIT (environment) is 5000, above what Plume allows: Plume's firewall allows 2,000 calls",
      ),
      1,
    );
    assert.equal(
      occurrences(
        host.stderr,
        "pulumi-plume: warning: PLUME_MAX_REQUESTS_PER_SECOND (environment) is 20, above what Plume allows: Plume advises at most 6 requests per second",
      ),
      1,
    );
  });
});
