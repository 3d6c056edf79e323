// The test driver itself: it must talk to Pulumi's real dynamic-provider host exactly as the engine does.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { ProviderHost, ProviderHostError, serializeProvider, UNKNOWN } from "../../support/providerHost";

/** A provider that echoes what it gets, so the test sees the host's encoding and decoding. */
const echoProvider: pulumi.dynamic.ResourceProvider = {
  async configure(req) {
    (globalThis as Record<string, unknown>).echoConfig = req.config.get("echo:greeting");
  },
  async check(_olds, news) {
    return news.fail
      ? { inputs: news, failures: [{ property: "fail", reason: "asked to fail" }] }
      : { inputs: news };
  },
  async diff(_id, olds, news) {
    return { changes: olds.value !== news.value, replaces: news.value === "replace" ? ["value"] : [] };
  },
  async create(inputs) {
    if (inputs.fail) throw new Error(`create refused ${inputs.fail}`);
    console.log(`created ${inputs.value}`);
    return {
      id: `id-${inputs.value}`,
      outs: {
        ...inputs,
        greeting: (globalThis as Record<string, unknown>).echoConfig,
        env: process.env.PLUME_ECHO,
      },
    };
  },
  async read(id, props) {
    return id === "gone" ? { id: "", props: {} } : { id, props: { ...props, read: true } };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, updated: true } };
  },
  async delete(id) {
    if (id === "stuck") throw new Error("delete refused");
  },
};

describe("the provider host driver", function () {
  let host: ProviderHost;
  let provider: string;

  before(async function () {
    provider = await serializeProvider(echoProvider);
    host = await ProviderHost.start({ env: { PLUME_ECHO: "from-env" } });
    await host.configure({ "echo:greeting": "hello" });
  });

  after(async function () {
    await host.close();
  });

  it("round-trips every operation through the real host with values encoded as protobuf Structs", async function () {
    const props = { value: "a", nested: { list: [1, "two", true] }, __provider: provider };
    const checked = await host.check({}, props);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(checked.inputs, props);

    const created = await host.create(props);
    assert.equal(created.id, "id-a");
    assert.equal(created.properties.greeting, "hello");
    assert.equal(created.properties.env, "from-env");
    assert.equal(created.properties.__provider, provider);

    assert.deepEqual(await host.diff(created.id, created.properties, props), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const replacing = await host.diff(created.id, created.properties, { ...props, value: "replace" });
    assert.equal(replacing.changes, "some");
    assert.deepEqual(replacing.replaces, ["value"]);

    const read = await host.read(created.id, created.properties);
    assert.equal(read.properties.read, true);
    assert.equal((await host.read("gone", created.properties)).id, "");

    const updated = await host.update(created.id, created.properties, { ...props, value: "b" });
    assert.equal(updated.updated, true);
    await host.delete(created.id, updated);
  });

  it("sends unknown values as the engine's sentinel string", async function () {
    const checked = await host.check({}, { value: UNKNOWN, __provider: provider });
    assert.equal(checked.inputs.value, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });

  it("returns check failures as data", async function () {
    const checked = await host.check({}, { fail: "yes", __provider: provider });
    assert.deepEqual(checked.failures, [{ property: "fail", reason: "asked to fail" }]);
  });

  it("surfaces a thrown error's message as the gRPC error", async function () {
    await assert.rejects(host.create({ fail: "x1", __provider: provider }), (error: unknown) => {
      assert.ok(error instanceof ProviderHostError);
      assert.equal(error.method, "create");
      assert.match(error.details, /create refused x1/);
      return true;
    });
    await assert.rejects(host.delete("stuck", { __provider: provider }), /delete refused/);
  });

  it("captures what the provider prints", async function () {
    await host.create({ value: "printed", __provider: provider });
    assert.match(host.stdout, /created printed/);
    assert.match(host.allLogText, /created printed/);
  });

  it("serves a thousand concurrent calls", async function () {
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, index) => host.create({ value: `v${index}`, __provider: provider })),
    );
    assert.deepEqual(
      results.map((result) => result.id),
      Array.from({ length: 1000 }, (_, index) => `id-v${index}`),
    );
  });

  it("reports the host's pid and peak memory", function () {
    assert.ok(host.pid > 0);
    const peak = host.peakRssBytes();
    if (process.platform === "linux") assert.ok(peak !== undefined && peak > 10 * 1024 * 1024);
  });
});
