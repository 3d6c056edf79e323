import assert from "node:assert/strict";
import { BASIC_SEED, loginToken, oauthToken, send, useSimulator } from "./support";

describe("simulator: locations API", () => {
  let failures: string[] = [];
  const sim = useSimulator(() => {
    failures = [];
    return {
      seed: BASIC_SEED,
      onError: (_error, request) => failures.push(`${request.method} ${request.path}`),
    };
  });
  let token: string;
  const locationUrl = (customerId = "c1", locationId = "l1") =>
    `${sim.current().url}/api/Customers/${customerId}/locations/${locationId}`;
  const patch = (body: unknown, headers: Record<string, string> = {}) =>
    send(locationUrl(), { method: "PATCH", headers: { authorization: `Bearer ${token}`, ...headers }, body });

  beforeEach(async () => {
    token = await oauthToken(sim.current());
  });

  it("lists a customer's locations as full Plume objects", async () => {
    const answer = await send(`${sim.current().url}/api/Customers/c1/locations`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.json.map((location: { id: string }) => location.id),
      ["l1", "l2"],
    );
    const [first] = answer.json;
    for (const field of [
      "customerId",
      "accountId",
      "partnerId",
      "createdAt",
      "updatedAt",
      "_version",
      "optimizations",
    ]) {
      assert.ok(field in first, `missing ${field}`);
    }
    assert.equal(first.profile, "auto");
    assert.equal(typeof first.backhaul.wpaKey, "string");
    assert.ok(first.backhaul.wpaKey.length >= 16);
    assert.equal(typeof first.wanSettings.pppoe.password, "string");
  });

  it("gets one location", async () => {
    const answer = await send(locationUrl(), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.id, "l1");
    assert.equal(answer.json.name, "Main street");
    assert.equal(answer.json.customerId, "c1");
    assert.match(answer.headers["content-type"] ?? "", /^application\/json/);
  });

  it("answers 404 in LoopBack shape for an unknown location", async () => {
    const answer = await send(locationUrl("c1", "nope"), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(answer.status, 404);
    assert.equal(answer.json.error.statusCode, 404);
    assert.match(answer.json.error.message, /nope/);
  });

  it("patches serviceId and profile, bumping _version and updatedAt", async () => {
    const before = sim.current().state.getLocation("c1", "l1")!;
    const answer = await patch({ serviceId: "CRM-1", profile: "smallbusiness" });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.serviceId, "CRM-1");
    assert.equal(answer.json.profile, "smallbusiness");
    assert.equal(answer.json._version, before._version + 1);
    assert.ok(Date.parse(answer.json.updatedAt) > Date.parse(before.updatedAt));
    const after = sim.current().state.getLocation("c1", "l1")!;
    assert.equal(after.serviceId, "CRM-1");
    assert.equal(after.profile, "smallbusiness");
  });

  it("patches the name along with serviceId and keeps the profile when none is sent", async () => {
    const answer = await patch({ serviceId: "CRM-2", name: "Renamed" });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.name, "Renamed");
    assert.equal(answer.json.profile, "auto");
  });

  it("accepts the admin-login token sent raw", async () => {
    const raw = await loginToken(sim.current());
    const answer = await send(locationUrl(), {
      method: "PATCH",
      headers: { authorization: raw },
      body: { serviceId: "CRM-3" },
    });
    assert.equal(answer.status, 200);
  });

  const errorRows: Array<{ name: string; body: unknown; status: number; message: RegExp; raw?: boolean }> = [
    { name: "an empty object", body: {}, status: 422, message: /at least one parameter to patch/ },
    { name: "no body at all", body: "", status: 422, message: /at least one parameter to patch/ },
    {
      name: "a body without serviceId",
      body: { profile: "auto" },
      status: 400,
      message: /Required fields.*serviceId/,
    },
    { name: 'serviceId ""', body: { serviceId: "" }, status: 422, message: /`serviceId` can't be blank/ },
    {
      name: "a blank serviceId",
      body: { serviceId: "   " },
      status: 422,
      message: /`serviceId` can't be blank/,
    },
    {
      name: "a numeric serviceId",
      body: { serviceId: 42 },
      status: 422,
      message: /`serviceId` must be a string/,
    },
    {
      name: "a null serviceId",
      body: { serviceId: null },
      status: 422,
      message: /`serviceId` must be a string/,
    },
    {
      name: 'the typo "small business"',
      body: { serviceId: "S", profile: "small business" },
      status: 422,
      message: /`profile` must be one of auto, smallbusiness/,
    },
    { name: "a null profile", body: { serviceId: "S", profile: null }, status: 422, message: /`profile`/ },
    { name: "an empty name", body: { serviceId: "S", name: "" }, status: 422, message: /`name`/ },
    {
      name: "an unknown field",
      body: { serviceId: "S", colour: "blue" },
      status: 422,
      message: /`colour` is not a field that can be patched/,
    },
    { name: "a JSON array", body: [{ serviceId: "S" }], status: 400, message: /must be a JSON object/ },
    { name: "invalid JSON", body: '{"serviceId": "S"', status: 400, message: /not valid JSON/, raw: true },
    {
      name: "the integration-only property profile",
      body: { serviceId: "S", profile: "property" },
      status: 403,
      message: /^Authorization Required: property profile needs the integration role$/,
    },
  ];
  for (const row of errorRows) {
    it(`answers ${row.status} to a PATCH with ${row.name}`, async () => {
      const before = sim.current().state.getLocation("c1", "l1")!;
      const headers: Record<string, string> =
        typeof row.body === "string" ? { "content-type": "application/json" } : {};
      const answer = await patch(row.body, headers);
      assert.equal(answer.status, row.status, answer.text);
      assert.match(answer.headers["content-type"] ?? "", /^application\/json/);
      assert.equal(answer.json.error.statusCode, row.status);
      assert.equal(typeof answer.json.error.name, "string");
      assert.match(answer.json.error.message, row.message);
      assert.deepEqual(
        sim.current().state.getLocation("c1", "l1"),
        before,
        "a rejected PATCH changes nothing",
      );
    });
  }

  it("checks an empty body before a missing serviceId, and serviceId before the fields", async () => {
    assert.equal((await patch({})).status, 422);
    assert.equal((await patch({ profile: "bogus" })).status, 400);
    assert.equal((await patch({ serviceId: "", profile: "bogus" })).status, 422);
  });

  it("names every invalid field in one 422", async () => {
    const answer = await patch({ serviceId: "", profile: "bogus" });
    assert.match(answer.json.error.message, /`serviceId`.*`profile`/);
    assert.deepEqual(Object.keys(answer.json.error.details.messages), ["serviceId", "profile"]);
  });

  it("ignores a body sent without a JSON content type, as LoopBack's body parser does", async () => {
    const answer = await patch('{"serviceId":"S"}', { "content-type": "text/plain" });
    assert.equal(answer.status, 422);
    assert.match(answer.json.error.message, /at least one parameter/);
  });

  it("answers 401, not 404, for a customer it does not know", async () => {
    const answer = await send(locationUrl("c-unknown", "l1"), {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 401);
  });

  const unknownRoutes: Array<[string, string]> = [
    ["DELETE", "/api/Customers/c1/locations/l1"],
    ["PUT", "/api/Customers/c1/locations/l1"],
    ["POST", "/api/Customers/c1/locations"],
    ["GET", "/api/Customers/login"],
    ["GET", "/api/Customers/c1/locations/l1/extra"],
    ["GET", "/api/customers/c1/locations"],
    ["GET", "/api/Customers/c1/locations/"],
    ["GET", "/api/Nodes"],
    ["GET", "/"],
  ];
  for (const [method, path] of unknownRoutes) {
    it(`answers LoopBack 404 to ${method} ${path}`, async () => {
      const answer = await send(`${sim.current().url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(answer.status, 404);
      assert.match(answer.json.error.message, new RegExp(`There is no method to handle ${method}`));
    });
  }

  it("answers a LoopBack 500 when the server itself fails, and keeps serving", async () => {
    sim.current().state.driftLocation("c1", "l1", { bandSteering: { limit: 10n } });
    const broken = await send(locationUrl(), { headers: { authorization: `Bearer ${token}` } });
    assert.equal(broken.status, 500);
    assert.deepEqual(broken.json, {
      error: { statusCode: 500, name: "Error", message: "Internal Server Error" },
    });
    assert.deepEqual(
      sim
        .current()
        .requestLog()
        .map((entry) => entry.status),
      [200, 500],
      "one log entry for the failed request",
    );
    const state = await send(`${sim.current().controlUrl}/state`);
    assert.equal(state.status, 500);
    assert.deepEqual(
      failures,
      ["GET /api/Customers/c1/locations/l1", "GET /__sim/state"],
      "each failure is reported",
    );
    assert.equal(
      (await send(locationUrl("c1", "l2"), { headers: { authorization: `Bearer ${token}` } })).status,
      200,
    );
  });

  it("decodes percent-encoded ids in the path", async () => {
    sim.current().state.addLocation("c 1/x", { id: "l 1" });
    const answer = await send(`${sim.current().url}/api/Customers/c%201%2Fx/locations/l%201`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.id, "l 1");
  });
});
