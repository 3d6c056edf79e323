// No secret leaves the provider: canary credentials and canary Wi-Fi/PPPoE secrets planted in the simulator
// must appear in no response, `__provider`, log line (debug logging on) or error.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import type { ProviderHost } from "../../support/providerHost";
import {
  assertNoCanary,
  CANARY,
  checkAndCreate,
  CUSTOMER,
  location,
  oauthConfig,
  props,
  startConfiguredHost,
  startSeededSimulator,
} from "./fixtures";

describe("secrets around PlumeLocationService", function () {
  let sim: RunningSimulator;
  let up: ProviderHost;
  let destroy: ProviderHost;

  before(async function () {
    this.timeout(120_000);
    sim = await startSeededSimulator();
    [up, destroy] = await Promise.all([
      startConfiguredHost({ ...oauthConfig(sim), "plume:debug": "true" }),
      startConfiguredHost(
        {},
        {
          env: {
            PLUME_API_URL: sim.url,
            PLUME_EMAIL: sim.credentials.email,
            PLUME_PASSWORD: CANARY.password,
            PLUME_MAX_RETRIES: "0",
            PLUME_DEBUG: "1",
          },
        },
      ),
    ]);
  });

  after(async function () {
    await Promise.all([up?.close(), destroy?.close()]);
    await sim?.close();
  });

  it("keeps every canary out of responses, __provider, log lines and errors through a whole lifecycle", async function () {
    const news = await props(25, "SVC-25", "smallbusiness");
    assertNoCanary(String(news.__provider), "__provider");

    const created = await checkAndCreate(up, news);
    assert.deepEqual(Object.keys(created.outputs).sort(), [
      "__provider",
      "createdAt",
      "customerId",
      "locationId",
      "locationName",
      "profile",
      "serviceId",
    ]);
    const read = await up.read(created.id, created.outputs, created.inputs);
    await up.diff(created.id, read.properties, created.inputs);
    sim.faults.revokeAllTokens();
    await up.update(created.id, read.properties, { ...created.inputs, serviceId: "SVC-25b" });
    sim.faults.failNext(1, 500, { method: "PATCH" });
    await assert.rejects(up.update(created.id, read.properties, created.inputs));
    sim.faults.failNext(1, 401, { path: "/api/Customers/login" });
    await assert.rejects(destroy.delete(created.id, read.properties));
    await destroy.delete(created.id, { ...read.properties, serviceId: "SVC-25b" });
    sim.state.deleteLocation(CUSTOMER, location(25));
    assert.equal((await destroy.read(created.id, read.properties)).id, "");

    for (const host of [up, destroy]) {
      assert.ok(host.transcript.length >= 3);
      assertNoCanary(host.transcript.join("\n"), "a response or error");
      assertNoCanary(host.allLogText, "the host's output");
    }
    assert.match(
      up.stderr + destroy.stderr,
      /\S/,
      "debug logging printed nothing: the sweep would prove little",
    );
  });
});
