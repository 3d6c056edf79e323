// Ids that validation lets through, or that reach the client some other way, can never change which URL
// is called: each id is exactly one path segment, or the call is refused before anything is sent.
import assert from "node:assert/strict";
import { PlumeClient, PlumeNotFoundError } from "../../provider/client";
import type { RunningSimulator } from "../../simulator";
import { CUSTOMER, locationId, startCanarySimulator } from "./support";

/** Ids that would change the request's path if they were not encoded. */
const HOSTILE_IDS = [
  "..",
  ".",
  "../..",
  "abc/def",
  "/abc",
  "abc%2Fdef",
  "%2e%2e",
  "abc\\def",
  "abc?filter=all",
  "abc#fragment",
  "abc;x=1",
  "abc\u202edef",
  "abc\u200bdef",
  "abc def",
  "abc\ndef",
];

describe("ids as path segments, through the client against the simulator", function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let client: PlumeClient;

  before(async function () {
    sim = await startCanarySimulator(2);
    client = new PlumeClient({
      apiUrl: sim.url,
      auth: {
        kind: "oauth",
        tokenUrl: sim.tokenUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
        partnerId: sim.credentials.partnerId,
      },
      maxRetries: 0,
    });
  });

  after(async function () {
    await sim?.close();
  });

  for (const id of HOSTILE_IDS) {
    for (const role of ["locationId", "customerId"] as const) {
      it(`never lets the ${role} ${JSON.stringify(id)} reach another resource or a write`, async function () {
        sim.resetCounters();
        const [customer, location] = role === "locationId" ? [CUSTOMER, id] : [id, locationId(0)];
        const before = structuredClone(sim.state.getLocation(CUSTOMER, locationId(0)));

        const read = await client.getLocation(customer, location).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        const patch = await client
          .patchLocation(customer, location, { serviceId: "SVC-HOSTILE", profile: "smallbusiness" })
          .then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );

        assert.ok("error" in read, `GET succeeded: ${JSON.stringify(read).slice(0, 200)}`);
        assert.ok("error" in patch, `PATCH succeeded: ${JSON.stringify(patch).slice(0, 200)}`);
        const api = sim.requestLog().filter((entry) => entry.path.startsWith("/api/"));
        for (const entry of api) {
          const segments = entry.path.split("/").slice(1);
          // A 404 is confirmed against the customer's own list of locations (4 segments), read-only.
          const isConfirmingList =
            segments.length === 4 && entry.method === "GET" && segments[3] === "locations";
          assert.ok(segments.length === 5 || isConfirmingList, `the request went to ${entry.path}`);
          const expectedStatus = isConfirmingList ? 200 : role === "locationId" ? 404 : 401;
          assert.equal(entry.status, expectedStatus, `${entry.method} ${entry.path}`);
        }
        for (const outcome of [read, patch]) {
          if (api.length > 0 && role === "locationId") assert.ok(outcome.error instanceof PlumeNotFoundError);
        }
        assert.deepEqual(sim.state.getLocation(CUSTOMER, locationId(0)), before, "a location was changed");
      });
    }
  }
});
