// Every documented Plume error, through the host: the message names the location and carries the hint, and
// a failed delete keeps the resource (the host answers with an error, so the engine keeps it in state).
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import { ProviderHost, ProviderHostError, type PropertyMap } from "../../support/providerHost";
import {
  assertNoCanary,
  checkAndCreate,
  CUSTOMER,
  location,
  oauthConfig,
  props,
  startConfiguredHost,
  startSeededSimulator,
} from "./fixtures";

type Operation = "create" | "update" | "read" | "delete";

describe("errors of PlumeLocationService operations", function () {
  let sim: RunningSimulator;
  let host: ProviderHost;
  // Deletes run in another provider process, as in a later `pulumi destroy`: the same-location guard would
  // otherwise skip the reset of a location this process created.
  let destroying: ProviderHost;
  let existing: { id: string; outputs: PropertyMap; inputs: PropertyMap };

  before(async function () {
    this.timeout(120_000);
    sim = await startSeededSimulator();
    const config = {
      ...oauthConfig(sim),
      "plume:timeoutMs": "300",
      "plume:deadlineMs": "2000",
      // The firewall case holds every request for a sixteenth of the window: 100 ms here, not the 18.75 s
      // of the default five minutes that the next case would wait out.
      "plume:windowMs": "1600",
    };
    [host, destroying] = await Promise.all([startConfiguredHost(config), startConfiguredHost(config)]);
    existing = await checkAndCreate(host, await props(20, "SVC-20"));
  });

  after(async function () {
    await Promise.all([host?.close(), destroying?.close()]);
    await sim?.close();
  });

  afterEach(function () {
    sim.faults.clear();
  });

  async function attempt(operation: Operation): Promise<ProviderHostError> {
    const run = async () => {
      switch (operation) {
        case "create":
          return host.create(existing.inputs);
        case "update":
          return host.update(existing.id, existing.outputs, { ...existing.inputs, serviceId: "SVC-20b" });
        case "read":
          return host.read(existing.id, existing.outputs);
        case "delete":
          return destroying.delete(existing.id, { ...existing.outputs });
      }
    };
    try {
      await run();
    } catch (error) {
      assert.ok(error instanceof ProviderHostError, `expected a ProviderHostError, got ${error}`);
      return error;
    }
    assert.fail(`${operation} succeeded`);
  }

  const cases: {
    name: string;
    operation: Operation;
    arrange: (sim: RunningSimulator) => void;
    message: RegExp;
    hint: RegExp;
  }[] = [
    {
      name: "a 404 on create that Plume's list of locations does not confirm names the URL and plume:apiUrl",
      operation: "create",
      arrange: (s) => s.faults.failNext(1, 404, { method: "PATCH" }),
      message:
        /does not look like Plume's API: PATCH http:\/\/127\.0\.0\.1:\d+\/api\/Customers\/.* \(HTTP 404\)/,
      hint: /plume:apiUrl/,
    },
    {
      name: "a 400 on update says a required field is missing",
      operation: "update",
      arrange: (s) => s.faults.failNext(1, 400, { method: "PATCH" }),
      message: /Plume rejected .*HTTP 400/,
      hint: /required field is missing/,
    },
    {
      name: "a 422 on update says the input was rejected",
      operation: "update",
      arrange: (s) => s.faults.failNext(1, 422, { method: "PATCH" }),
      message: /Plume rejected .*HTTP 422/,
      hint: /\S/,
    },
    {
      name: "a 401 on create says the credentials were refused",
      operation: "create",
      arrange: (s) => s.faults.failNext(2, 401, { method: "PATCH" }),
      message: /Plume refused the credentials.*HTTP 401/,
      hint: /\S/,
    },
    {
      name: "a LoopBack 403 on update says the action is not allowed",
      operation: "update",
      arrange: (s) => s.faults.failNext(1, 403, { method: "PATCH", body: "json" }),
      message: /Plume does not allow this action.*HTTP 403/,
      hint: /partnerIdAdmin/,
    },
    {
      name: "the firewall's 403 on create says the rate limit refused it",
      operation: "create",
      arrange: (s) => s.faults.failNext(1, 403, { method: "PATCH", body: "html" }),
      message: /rate limit/,
      hint: /2,000 calls per rolling five minutes/,
    },
    {
      name: "a 500 on update says Plume failed and a rerun is safe",
      operation: "update",
      arrange: (s) => s.faults.failNext(1, 500, { method: "PATCH" }),
      message: /Plume failed on its side.*HTTP 500/,
      hint: /repeating the run is safe/,
    },
    {
      name: "a 500 on refresh fails the read",
      operation: "read",
      arrange: (s) => s.faults.failNext(1, 500, { method: "GET" }),
      message: /Plume failed on its side.*HTTP 500/,
      hint: /Try again later/,
    },
    {
      name: "a 500 on delete fails the delete, so the resource stays in state",
      operation: "delete",
      arrange: (s) => s.faults.failNext(1, 500, { method: "GET" }),
      message: /Plume failed on its side.*HTTP 500/,
      hint: /Try again later/,
    },
    {
      name: "a 500 on the reset PATCH fails the delete too",
      operation: "delete",
      arrange: (s) => s.faults.failNext(1, 500, { method: "PATCH" }),
      message: /Plume failed on its side.*HTTP 500/,
      hint: /Try again later/,
    },
    {
      name: "a dropped connection on create says Plume could not be reached",
      operation: "create",
      arrange: (s) => s.faults.resetNextConnections(1),
      message: /Could not reach Plume/,
      hint: /\S/,
    },
    {
      name: "a stalled answer on update says Plume did not answer in time",
      operation: "update",
      arrange: (s) => s.faults.stallNext(1, 1500),
      message: /did not answer in time|ran out of time/,
      hint: /timeoutMs/,
    },
  ];

  for (const { name, operation, arrange, message, hint } of cases) {
    it(name, async function () {
      arrange(sim);
      const error = await attempt(operation);
      assert.match(
        error.details,
        new RegExp(`^Could not ${operation} PlumeLocationService for location ${CUSTOMER}/${location(20)}: `),
      );
      assert.match(error.details, message);
      const hintLine = /\nHint: (.+)/.exec(error.details);
      assert.ok(hintLine, `no hint in: ${error.details}`);
      assert.match(hintLine[1], hint);
      assertNoCanary(error.details, "an error message");
    });
  }

  it("keeps the location unchanged when a delete fails", async function () {
    sim.faults.failNext(1, 500, { method: "PATCH" });
    const before = sim.state.getLocation(CUSTOMER, location(20));
    await attempt("delete");
    assert.deepEqual(sim.state.getLocation(CUSTOMER, location(20)), before);
  });
});
