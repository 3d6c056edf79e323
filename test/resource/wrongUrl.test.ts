// plume:apiUrl pointing at something that answers 404 to every path (a wrong path prefix, a web server, a
// router) must never read as "every location is gone": refresh would drop them all from state, and destroy
// would report resets that never happened. Each operation fails naming the URL and plume:apiUrl instead.
import assert from "node:assert/strict";
import { startScriptedServer, type ScriptedAnswer, type ScriptedServer } from "../client/scriptedServer";
import { ProviderHostError, type PropertyMap, type ProviderHost } from "../../support/providerHost";
import { CUSTOMER, location, props, startConfiguredHost } from "./fixtures";

const ANSWERS: [string, ScriptedAnswer][] = [
  [
    "an HTML page",
    { status: 404, body: "<html><h1>Not Found</h1></html>", headers: { "content-type": "text/html" } },
  ],
  ["a router's JSON", { status: 404, body: { statusCode: 404, message: "Route not found" } }],
  ["an empty body", { status: 404 }],
];

/** What state holds for the location, `__provider` included (the host loads the provider from it). */
let OUTPUTS: PropertyMap;
const STORED = {
  customerId: CUSTOMER,
  locationId: location(1),
  serviceId: "SVC-1",
  profile: "smallbusiness",
};
const ID = `${CUSTOMER}/${location(1)}`;

for (const [what, answer] of ANSWERS) {
  describe(`PlumeLocationService against a server that answers every path with a 404 and ${what}`, function () {
    let server: ScriptedServer;
    let host: ProviderHost;

    before(async function () {
      this.timeout(60_000);
      OUTPUTS = { ...STORED, __provider: (await props(1, "SVC-1")).__provider };
      server = await startScriptedServer(() => answer);
      host = await startConfiguredHost({
        "plume:apiUrl": `${server.url}/wrong-prefix`,
        "plume:token": "Bearer given-token-0123456789",
        "plume:maxRetries": "0",
      });
    });

    after(async function () {
      await host?.close();
      await server?.close();
    });

    async function failureOf(operation: () => Promise<unknown>): Promise<string> {
      const error = await operation().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof ProviderHostError, `the operation did not fail: ${String(error)}`);
      assert.ok(
        error.details.includes(`${server.url}/wrong-prefix/api/Customers/${CUSTOMER}`),
        error.details,
      );
      assert.match(error.details, /plume:apiUrl/);
      return error.details;
    }

    it("fails a refresh instead of dropping the location from state", async function () {
      await failureOf(() => host.read(ID, OUTPUTS));
    });

    it("fails a delete instead of reporting a reset, and sends no PATCH", async function () {
      server.requests.length = 0;
      await failureOf(() => host.delete(ID, OUTPUTS));
      assert.deepEqual(
        server.requests.map((request) => request.method),
        ["GET", "GET"],
      );
    });

    it("fails a create, naming the URL it tried", async function () {
      await failureOf(async () => host.create(await props(1, "SVC-1")));
    });

    it("fails an update, naming the URL it tried", async function () {
      await failureOf(async () => host.update(ID, OUTPUTS, await props(1, "SVC-1b")));
    });
  });
}
