// The provider class in process (no host): settings problems surface from the first API operation, and the
// outputs are six fields of what Plume returned, never the whole location.
import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import type { PlumeLocation } from "../../provider/client";
import {
  outputsFromLocation,
  parseLocationResourceId,
  PlumeLocationServiceProvider,
} from "../../provider/resource/dynamicProvider";
import { locationGuard } from "../../provider/core/locationGuard";
import { CANARY } from "./fixtures";

function configured(config: Record<string, unknown>): Promise<PlumeLocationServiceProvider> {
  const provider = new PlumeLocationServiceProvider();
  const request = { config: { get: (key: string) => config[key], require: (key: string) => config[key] } };
  return provider.configure(request as unknown as pulumi.dynamic.ConfigureRequest).then(() => provider);
}

const inputs = { customerId: "c1", locationId: "l1", serviceId: "S1", profile: "auto" };

describe("the PlumeLocationService provider in process", function () {
  it("refuses settings of two auth modes on create, naming both and no value", async function () {
    const provider = await configured({
      "plume:apiUrl": "http://127.0.0.1:9",
      "plume:token": CANARY.password,
      "plume:email": "admin@example.net",
      "plume:password": CANARY.password,
    });
    await assert.rejects(provider.create(inputs), (error: Error) => {
      assert.match(error.message, /^Could not create PlumeLocationService for location c1\/l1: /);
      assert.match(
        error.message,
        /admin login .*`plume:password`.* conflicts with a ready token .*`plume:token`/,
      );
      assert.ok(!error.message.includes(CANARY.password));
      return true;
    });
  });

  it("reports every bad tuning option with both ways to set it, before any request", async function () {
    const provider = await configured({
      "plume:apiUrl": "http://127.0.0.1:9",
      "plume:token": "t",
      "plume:maxRetries": "-1",
      "plume:timeoutMs": "soon",
    });
    await assert.rejects(provider.update("c1/l1", inputs, inputs), (error: Error) => {
      assert.match(error.message, /maxRetries .*`plume:maxRetries` \(stack config\) or PLUME_MAX_RETRIES/);
      assert.match(error.message, /timeoutMs .*`plume:timeoutMs` \(stack config\) or PLUME_TIMEOUT_MS/);
      return true;
    });
  });

  it("reads stack config values that arrive as numbers or booleans, ahead of the environment", async function () {
    const fromEnvironment = process.env.PLUME_MAX_RETRIES;
    process.env.PLUME_MAX_RETRIES = "2";
    try {
      const provider = await configured({
        "plume:apiUrl": "http://127.0.0.1:9",
        "plume:token": "t",
        "plume:maxRetries": -1,
        "plume:debug": 7,
      });
      await assert.rejects(provider.update("c1/l1", inputs, inputs), (error: Error) => {
        assert.match(error.message, /maxRetries .*got -1/);
        assert.match(error.message, /debug .*got "7"/);
        return true;
      });
    } finally {
      if (fromEnvironment === undefined) delete process.env.PLUME_MAX_RETRIES;
      else process.env.PLUME_MAX_RETRIES = fromEnvironment;
    }
  });

  it("splits a resource id into its customer and location", function () {
    assert.deepEqual(parseLocationResourceId("c1/l1"), { customerId: "c1", locationId: "l1" });
  });

  for (const id of ["c1l1", "/l1", "c1/", "c1/l1/x", ""]) {
    it(`refuses the resource id ${JSON.stringify(id)} instead of guessing where the ids part`, function () {
      assert.throws(
        () => parseLocationResourceId(id),
        (error: Error) => {
          assert.equal(error.name, "PlumeValidationError");
          assert.match(error.message, /Invalid PlumeLocationService id/);
          assert.match(error.message, /<customerId>\/<locationId>/);
          return true;
        },
      );
    });
  }

  for (const operation of ["read", "delete"] as const) {
    it(`fails a ${operation} of a resource whose id and properties name no location, before any request`, async function () {
      const provider = await configured({ "plume:apiUrl": "http://127.0.0.1:9", "plume:token": "t" });
      const stored = { serviceId: "S1" } as unknown as Parameters<typeof provider.delete>[1];
      const attempt = operation === "read" ? provider.read("c1l1", stored) : provider.delete("c1l1", stored);
      await assert.rejects(attempt, (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `^Could not ${operation} PlumeLocationService for location c1l1: Invalid PlumeLocationService id`,
          ),
        );
        return true;
      });
    });
  }

  it("refuses inputs that never went through check, before any request", async function () {
    const provider = await configured({ "plume:apiUrl": "http://127.0.0.1:9", "plume:token": "t" });
    await assert.rejects(provider.create({ ...inputs, profile: "property" }), (error: Error) => {
      assert.match(
        error.message,
        /^Could not create PlumeLocationService for location c1\/l1: Invalid inputs/,
      );
      assert.match(error.message, /profile must be/);
      return true;
    });
  });

  it("keeps check and diff working with no settings at all", async function () {
    const provider = await configured({});
    assert.deepEqual((await provider.check({}, inputs)).failures, []);
    assert.equal((await provider.diff("c1/l1", inputs, inputs)).changes, false);
  });

  it("leaves a location alone when a resource checked while its delete waited for the GET declares it", async function () {
    // A delete-before-replace runs while the engine goes on registering resources: here a resource that moves
    // onto the location is checked (and will PATCH it) between the delete's GET and its reset.
    const provider = await configured({});
    const patches: unknown[] = [];
    let answerGet: (location: PlumeLocation) => void = () => undefined;
    let getStarted: () => void = () => undefined;
    const getCalled = new Promise<void>((resolve) => (getStarted = resolve));
    (provider as unknown as { service: { client: unknown } }).service.client = {
      getLocation: () => {
        getStarted();
        return new Promise<PlumeLocation>((resolve) => (answerGet = resolve));
      },
      patchLocation: async (...args: unknown[]) => {
        patches.push(args);
        return { id: "l9", customerId: "c9", serviceId: "OLD", profile: "auto" };
      },
    };
    try {
      const deleting = provider.delete("c9/l9", {
        customerId: "c9",
        locationId: "l9",
        serviceId: "OLD",
        profile: "smallbusiness",
      });
      await getCalled;
      const moved = await provider.check({}, { customerId: "c9", locationId: "l9", serviceId: "NEW" });
      assert.deepEqual(moved.failures, []);
      answerGet({ id: "l9", customerId: "c9", serviceId: "OLD", profile: "smallbusiness" });
      await deleting;
      assert.deepEqual(patches, []);
    } finally {
      locationGuard.clear();
    }
  });

  it("maps a location to the six outputs and nothing else", function () {
    const location: PlumeLocation = {
      id: "l1",
      customerId: "c1",
      name: "Home",
      serviceId: "S1",
      profile: "smallbusiness",
      createdAt: "2024-01-01T00:00:00.000Z",
      backhaul: { wpaKey: CANARY.wpaKey },
      wanSettings: { pppoe: { password: CANARY.pppoePassword } },
    };
    assert.deepEqual(outputsFromLocation(location, { customerId: "c1", locationId: "l1" }, "auto"), {
      customerId: "c1",
      locationId: "l1",
      serviceId: "S1",
      profile: "smallbusiness",
      locationName: "Home",
      createdAt: "2024-01-01T00:00:00.000Z",
    });
  });

  it("falls back to the requested ids and profile when Plume leaves them out of its answer", function () {
    assert.deepEqual(
      outputsFromLocation(
        { id: "l1", serviceId: "S1" },
        { customerId: "c1", locationId: "l1" },
        "smallbusiness",
      ),
      {
        customerId: "c1",
        locationId: "l1",
        serviceId: "S1",
        profile: "smallbusiness",
      },
    );
  });
});
