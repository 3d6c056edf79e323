// A 404 means "the location is gone" only when Plume's own list of the customer's locations confirms it: a wrong
// path prefix, a web server or a proxy's error page answer 404 to every path, and Refresh would otherwise drop
// every location from state while destroy reported resets that never happened.
import assert from "node:assert/strict";
import {
  PlumeAuthError,
  PlumeClient,
  PlumeNotFoundError,
  PlumeUnexpectedResponseError,
} from "../../provider/client";
import { rejection } from "./rejection";
import {
  sampleLocation,
  startScriptedServer,
  type ScriptedAnswer,
  type ScriptedServer,
} from "./scriptedServer";

const LOCATION_PATH = "/api/Customers/c1/locations/l1";
const LIST_PATH = "/api/Customers/c1/locations";

/** 404 answers of things that are not Plume: a web server's page, a router's JSON, nothing at all. */
const FOREIGN_404S: [string, ScriptedAnswer][] = [
  [
    "an HTML page",
    {
      status: 404,
      body: "<html><body><h1>404 Not Found</h1></body></html>",
      headers: { "content-type": "text/html" },
    },
  ],
  ["a router's JSON", { status: 404, body: { message: "Cannot GET /wrong/api/Customers", statusCode: 404 } }],
  ["an empty body", { status: 404 }],
];

let servers: ScriptedServer[] = [];

async function serve(answer: (url: string) => ScriptedAnswer): Promise<ScriptedServer> {
  const server = await startScriptedServer((request) => answer(request.url));
  servers.push(server);
  return server;
}

function clientFor(server: ScriptedServer, apiPath = ""): PlumeClient {
  return new PlumeClient({
    apiUrl: server.url + apiPath,
    auth: { kind: "token", token: "given-token-0123456789" },
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    maxRequestsPerSecond: 1000,
  });
}

/** Both location calls that can meet a 404. */
const CALLS: [string, (client: PlumeClient) => Promise<unknown>][] = [
  ["a read", (client) => client.getLocation("c1", "l1")],
  ["a PATCH", (client) => client.patchLocation("c1", "l1", { serviceId: "SVC-1", profile: "auto" })],
];

describe("a 404 from the API", () => {
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  for (const [callName, call] of CALLS) {
    for (const [bodyName, answer] of FOREIGN_404S) {
      it(`fails ${callName} naming the URL tried when every path answers 404 with ${bodyName}`, async () => {
        const server = await serve(() => answer);
        const error = await rejection(call(clientFor(server, "/wrong")));

        assert.ok(error instanceof PlumeUnexpectedResponseError, `${error.name}: ${error.message}`);
        assert.ok(!(error instanceof PlumeNotFoundError));
        assert.ok(error.message.includes(`${server.url}/wrong${LOCATION_PATH}`), error.message);
        assert.match(error.hint, /the `apiUrl` option/);
        assert.ok(error.hint.includes(`and so did ${server.url}/wrong${LIST_PATH}`), error.hint);
        assert.match(error.hint, /Nothing was changed/);
        assert.deepEqual(
          server.requests.map((request) => request.url),
          [`/wrong${LOCATION_PATH}`, `/wrong${LIST_PATH}`],
        );
      });
    }

    it(`counts as gone in ${callName} when the customer's list of locations does not hold the location`, async () => {
      const server = await serve((url) =>
        url === LIST_PATH
          ? { status: 200, body: [sampleLocation("l2"), sampleLocation("l3")] }
          : { status: 404, body: { error: { statusCode: 404, name: "Error", code: "MODEL_NOT_FOUND" } } },
      );
      const error = await rejection(call(clientFor(server)));

      assert.ok(error instanceof PlumeNotFoundError, `${error.name}: ${error.message}`);
      assert.match(error.hint, /Plume lists 2 locations for customer c1, and l1 is not one of them/);
      assert.equal(server.requests.length, 2);
    });

    it(`counts as gone in ${callName} even when Plume's 404 body is empty, as long as the list confirms it`, async () => {
      const server = await serve((url) => (url === LIST_PATH ? { status: 200, body: [] } : { status: 404 }));
      const error = await rejection(call(clientFor(server)));

      assert.ok(error instanceof PlumeNotFoundError, `${error.name}: ${error.message}`);
      assert.match(error.hint, /Plume lists 0 locations for customer c1/);
    });
  }

  it("is not taken for gone when the customer's list still holds the location", async () => {
    const server = await serve((url) =>
      url === LIST_PATH ? { status: 200, body: [sampleLocation("l1")] } : { status: 404 },
    );
    const error = await rejection(clientFor(server).getLocation("c1", "l1"));

    assert.ok(error instanceof PlumeUnexpectedResponseError, `${error.name}: ${error.message}`);
    assert.match(error.hint, /yet .* lists location l1/);
  });

  it("is not taken for gone when the list is not a list of locations", async () => {
    const server = await serve((url) =>
      url === LIST_PATH ? { status: 200, body: { results: [] } } : { status: 404 },
    );
    const error = await rejection(clientFor(server).getLocation("c1", "l1"));

    assert.ok(error instanceof PlumeUnexpectedResponseError, `${error.name}: ${error.message}`);
    assert.match(error.hint, /did not answer with a list of locations/);
  });

  it("surfaces the list's own failure, such as a 401, instead of guessing", async () => {
    const server = await serve((url) =>
      url === LIST_PATH
        ? {
            status: 401,
            body: { error: { statusCode: 401, name: "Error", message: "Authorization Required" } },
          }
        : { status: 404 },
    );
    const error = await rejection(clientFor(server).getLocation("c1", "l1"));

    assert.ok(error instanceof PlumeAuthError, `${error.name}: ${error.message}`);
  });

  it("on the list of locations itself is an error naming the URL, never an empty list", async () => {
    const server = await serve(() => ({ status: 404 }));
    const error = await rejection(clientFor(server, "/wrong").listLocations("c1"));

    assert.ok(error instanceof PlumeUnexpectedResponseError, `${error.name}: ${error.message}`);
    assert.ok(error.message.includes(`${server.url}/wrong${LIST_PATH}`), error.message);
    assert.equal(server.requests.length, 1);
  });
});
