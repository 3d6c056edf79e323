// The native `plume` plugin, spoken to over gRPC as the engine speaks to it, against the simulator: one plugin
// process for the whole file, its steps in the order of a stack's life (configure, check, diff, create,
// import, update, delete).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type { RunningSimulator } from "../../simulator";
import { CANARY, startCanarySimulator } from "../support/canaryStack";
import { PluginCallError, PluginProcess, secret, struct } from "./pluginProcess";

const CUSTOMER = "5f0000000000000000000c01";
const LOCATIONS = ["5f00000000000000000a0001", "5f00000000000000000a0002", "5f00000000000000000a0003"];
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const TYPE = "plume:index:LocationService";
const Kind = providerProto.PropertyDiff.Kind;

function urn(name: string): string {
  return `urn:pulumi:test::native::${TYPE}::${name}`;
}

/** The inputs of a location as a program declares them. */
function declared(index: number, serviceId: string, profile?: string): Record<string, unknown> {
  return { customerId: CUSTOMER, locationId: LOCATIONS[index], serviceId, ...(profile ? { profile } : {}) };
}

describe("the native plume provider plugin", function () {
  let sim: RunningSimulator;
  let plugin: PluginProcess;

  before(async function () {
    sim = await startCanarySimulator({ customerId: CUSTOMER, locationIds: LOCATIONS });
    plugin = await PluginProcess.start();
  });

  after(async function () {
    if (plugin) assert.equal(await plugin.close(), 0, "the plugin exits cleanly on SIGTERM");
    await sim?.close();
  });

  /** Configure as the engine does for stack config: `plume:config:<setting>` variables. */
  function configureWithVariables(overrides: Record<string, string> = {}) {
    const request = new providerProto.ConfigureRequest().setAcceptsecrets(true);
    const variables = {
      "plume:config:apiUrl": sim.url,
      "plume:config:tokenUrl": sim.tokenUrl,
      "plume:config:clientId": sim.credentials.clientId,
      "plume:config:clientSecret": CANARY.clientSecret,
      "plume:config:partnerId": sim.credentials.partnerId,
      "plume:config:maxRetries": "0",
      ...overrides,
    };
    for (const [key, value] of Object.entries(variables)) request.getVariablesMap().set(key, value);
    return plugin.call<providerProto.ConfigureResponse>("configure", request);
  }

  async function check(name: string, news: Record<string, unknown>) {
    const request = new providerProto.CheckRequest()
      .setUrn(urn(name))
      .setOlds(struct({}))
      .setNews(struct(news));
    const response = await plugin.call<providerProto.CheckResponse>("check", request);
    return {
      inputs: response.getInputs()?.toJavaScript() ?? {},
      failures: response.getFailuresList().map((failure) => failure.toObject()),
    };
  }

  async function create(name: string, inputs: Record<string, unknown>, isPreview = false) {
    const request = new providerProto.CreateRequest()
      .setUrn(urn(name))
      .setProperties(struct(inputs))
      .setPreview(isPreview);
    const response = await plugin.call<providerProto.CreateResponse>("create", request);
    return { id: response.getId(), outputs: response.getProperties()?.toJavaScript() ?? {} };
  }

  it("reports its version and serves the package schema of schema.json", async function () {
    const info = await plugin.call<pluginProto.PluginInfo>("getPluginInfo", new emptyProto.Empty());
    const schema = await plugin.call<providerProto.GetSchemaResponse>(
      "getSchema",
      new providerProto.GetSchemaRequest(),
    );
    const committed: unknown = JSON.parse(
      readFileSync(path.join(__dirname, "..", "..", "schema.json"), "utf8"),
    );
    assert.deepEqual(JSON.parse(schema.getSchema()), committed);
    assert.equal(info.getVersion(), (committed as { version: string }).version);
  });

  const badConfigs = [
    {
      problem: "a placeholder left in the token URL",
      setting: "tokenUrl",
      values: { tokenUrl: "https://external.sso.plume.com/oauth2/<cloud-id>/v1/token" },
      reason: /<cloud-id>/,
    },
    {
      problem: "an API URL that is no URL",
      setting: "apiUrl",
      values: { apiUrl: "piranha-gamma.prod" },
      reason: /apiUrl/,
    },
  ];
  for (const { problem, setting, values, reason } of badConfigs) {
    it(`fails CheckConfig on ${problem}, naming the setting and no secret`, async function () {
      const news = {
        apiUrl: "https://piranha-gamma.prod.us-west-2.aws.plumenet.io",
        tokenUrl: "https://external.sso.plume.com/oauth2/abc123/v1/token",
        clientId: "client",
        clientSecret: secret(CANARY.clientSecret),
        partnerId: "partner",
        version: "0.2.0",
        ...values,
      };
      const request = new providerProto.CheckRequest()
        .setUrn("urn:pulumi:test::native::pulumi:providers:plume::default")
        .setNews(struct(news));
      const response = await plugin.call<providerProto.CheckResponse>("checkConfig", request);
      const failures = response.getFailuresList().map((failure) => failure.toObject());
      assert.deepEqual(
        failures.map((failure) => failure.property),
        [setting],
      );
      assert.match(failures[0].reason, reason);
      assert.ok(!JSON.stringify(failures).includes(CANARY.clientSecret));
      assert.deepEqual(
        response.getInputs()?.toJavaScript(),
        news,
        "the inputs come back as sent, secret kept",
      );
    });
  }

  it("accepts secrets and previews after Configure with stack config variables", async function () {
    const response = await configureWithVariables();
    assert.equal(response.getAcceptsecrets(), true);
    assert.equal(response.getSupportspreview(), true);
  });

  it("checks inputs, filling in profile auto and leaving unknown values to the preview", async function () {
    // Location 1: a location checked in this process counts as declared by this deployment, and the delete
    // below (of location 0) must not be left alone for that reason.
    assert.deepEqual(await check("clinic", declared(1, "BIZ-2")), {
      inputs: { ...declared(1, "BIZ-2"), profile: "auto" },
      failures: [],
    });
    const unknown = await check("clinic", declared(1, UNKNOWN));
    assert.equal(unknown.inputs.serviceId, UNKNOWN);
    const refused = await check("clinic", declared(1, "BIZ-2", "enterprise"));
    assert.deepEqual(
      refused.failures.map((failure) => failure.property),
      ["profile"],
    );
  });

  it("diffs field by field: serviceId is an UPDATE, locationId an UPDATE_REPLACE deleting first", async function () {
    const olds = { ...declared(0, "BIZ-1"), profile: "auto", locationName: "Home 1" };
    const request = new providerProto.DiffRequest()
      .setId(`${CUSTOMER}/${LOCATIONS[0]}`)
      .setUrn(urn("dental"))
      .setOlds(struct(olds))
      .setNews(struct({ ...declared(1, "BIZ-2"), profile: "auto" }));
    const response = await plugin.call<providerProto.DiffResponse>("diff", request);
    assert.equal(response.getChanges(), providerProto.DiffResponse.DiffChanges.DIFF_SOME);
    assert.equal(response.getHasdetaileddiff(), true);
    assert.deepEqual(response.getReplacesList(), ["locationId"]);
    assert.equal(response.getDeletebeforereplace(), true);
    assert.deepEqual(response.getDiffsList().sort(), ["locationId", "serviceId"]);
    const kinds = Object.fromEntries(
      response.getDiffsList().map((field) => [field, response.getDetaileddiffMap().get(field)?.getKind()]),
    );
    assert.deepEqual(kinds, { locationId: Kind.UPDATE_REPLACE, serviceId: Kind.UPDATE });

    const same = await plugin.call<providerProto.DiffResponse>(
      "diff",
      request.setNews(struct({ ...declared(0, "BIZ-1"), profile: "auto" })),
    );
    assert.equal(same.getChanges(), providerProto.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("sends nothing to Plume for a create in a preview, and PATCHes the location for a real one", async function () {
    sim.resetCounters();
    const preview = await create("dental", { ...declared(0, "BIZ-1"), profile: "smallbusiness" }, true);
    assert.equal(sim.requestLog().length, 0);
    assert.equal(preview.outputs.serviceId, "BIZ-1");
    assert.equal(preview.outputs.locationName, UNKNOWN, "Plume's own fields are unknown until created");

    const created = await create("dental", { ...declared(0, "BIZ-1"), profile: "smallbusiness" });
    assert.equal(created.id, `${CUSTOMER}/${LOCATIONS[0]}`);
    assert.deepEqual(
      { ...created.outputs, createdAt: typeof created.outputs.createdAt },
      { ...declared(0, "BIZ-1"), profile: "smallbusiness", locationName: "Home 1", createdAt: "string" },
    );
    assert.ok(sim.requestLog().some((entry) => entry.method === "PATCH"));
    const held = sim.state.peekLocation(CUSTOMER, LOCATIONS[0]);
    assert.deepEqual([held?.serviceId, held?.profile], ["BIZ-1", "smallbusiness"]);
  });

  it("reads a location known only by its id with the inputs Plume holds, so import records it without a write", async function () {
    sim.state.driftLocation(CUSTOMER, LOCATIONS[2], { serviceId: "LEGACY-7", profile: "smallbusiness" });
    sim.resetCounters();
    const request = new providerProto.ReadRequest()
      .setId(`${CUSTOMER}/${LOCATIONS[2]}`)
      .setUrn(urn("imported"))
      .setProperties(struct({}));
    const response = await plugin.call<providerProto.ReadResponse>("read", request);
    assert.equal(response.getId(), `${CUSTOMER}/${LOCATIONS[2]}`);
    assert.deepEqual(response.getInputs()?.toJavaScript(), {
      ...declared(2, "LEGACY-7"),
      profile: "smallbusiness",
    });
    assert.equal(response.getProperties()?.toJavaScript().locationName, "Home 3");
    assert.ok(sim.requestLog().every((entry) => entry.method === "GET" || entry.method === "POST"));
  });

  it("updates serviceId in place with one PATCH", async function () {
    const id = `${CUSTOMER}/${LOCATIONS[0]}`;
    const olds = { ...declared(0, "BIZ-1"), profile: "smallbusiness" };
    const news = { ...declared(0, "BIZ-9"), profile: "smallbusiness" };
    const request = new providerProto.UpdateRequest().setId(id).setUrn(urn("dental")).setOlds(struct(olds));
    const updated = await plugin.call<providerProto.UpdateResponse>("update", request.setNews(struct(news)));
    assert.equal(updated.getProperties()?.toJavaScript().serviceId, "BIZ-9");
    assert.equal(sim.state.peekLocation(CUSTOMER, LOCATIONS[0])?.serviceId, "BIZ-9");
  });

  /** Delete as the engine does, with the resource's last outputs. */
  async function remove(index: number, serviceId: string, profile: string) {
    const request = new providerProto.DeleteRequest()
      .setId(`${CUSTOMER}/${LOCATIONS[index]}`)
      .setUrn(urn(`location-${index}`))
      .setProperties(struct({ ...declared(index, serviceId), profile }));
    await plugin.call("delete", request);
    const held = sim.state.peekLocation(CUSTOMER, LOCATIONS[index]);
    return [held?.serviceId, held?.profile];
  }

  it("deletes by putting the location back on auto, its serviceId sent along", async function () {
    assert.deepEqual(await remove(2, "LEGACY-7", "smallbusiness"), ["LEGACY-7", "auto"]);
  });

  it("leaves alone, saying so, a location this deployment has just written", async function () {
    assert.deepEqual(await remove(0, "BIZ-9", "smallbusiness"), ["BIZ-9", "smallbusiness"]);
    assert.match(plugin.printed, /declared by a resource of this deployment; not resetting it/);
  });

  it("keeps a secret input secret in its answers", async function () {
    const checked = await check("secretive", { ...declared(1, "BIZ-2"), serviceId: secret("BIZ-SECRET") });
    assert.deepEqual(checked.inputs.serviceId, secret("BIZ-SECRET"));
    const created = await create("secretive", checked.inputs);
    assert.deepEqual(created.outputs.serviceId, secret("BIZ-SECRET"));
  });

  it("never puts a secret setting's value into an error message", async function () {
    sim.rotateClientSecret(sim.credentials.clientId, "rotated-secret-31ac");
    await configureWithVariables({
      "plume:config:password": CANARY.password,
      "plume:config:email": "ops@example.com",
    });
    await assert.rejects(create("refused", { ...declared(1, "BIZ-3"), profile: "auto" }), PluginCallError);
    await configureWithVariables();
    await assert.rejects(create("refused", { ...declared(1, "BIZ-3"), profile: "auto" }), PluginCallError);
    assert.equal(plugin.errors.length, 2);
    for (const message of [...plugin.errors, plugin.printed]) {
      assert.ok(!message.includes(CANARY.clientSecret), `the client secret leaked: ${message}`);
      assert.ok(!message.includes(CANARY.password), `the password leaked: ${message}`);
    }
  });
});
