import assert from "node:assert/strict";
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { join } from "node:path";

import { type StackRun, TestStack, type TestStackOptions } from "../support/pulumiStack";
import {
  assertSucceeded,
  divergences,
  managedLocations,
  startSimulatedFleet,
  type SimulatedFleet,
} from "./simulatedFleet";

// Connection settings under the real engine: secrets stay encrypted, and a rotated client secret or a moved
// apiUrl is picked up by every command an operator runs next. `pulumi refresh` and `pulumi destroy`
// configure the provider with the stack config stored in state by the last `up`; the provider says so and
// what to run, and `--run-program` uses the config as it is now.

const FIRST_SECRET = "canary-first-client-secret-4f1e";
const ROTATED_SECRET = "canary-rotated-client-secret-9b2c";

/** A TCP relay to the simulator: the apiUrl before the move. */
async function startRelay(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function everythingShown(runs: StackRun[]): string {
  return runs
    .map((run) => `${run.stdout}\n${run.stderr}\n${run.error ?? ""}\n${JSON.stringify(run.diagnostics)}`)
    .join("\n");
}

describe("connection settings through the real Pulumi CLI", function () {
  this.timeout(240_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;
  let relay: { url: string; close(): Promise<void> };
  const runs: StackRun[] = [];

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 4 });
    fleet.writeFleet(fleet.entries);
    fleet.sim.rotateClientSecret(fleet.sim.credentials.clientId, FIRST_SECRET);
    relay = await startRelay(fleet.sim.port);
    stack = await fleet.createStack({
      config: { "plume:apiUrl": relay.url },
      secretConfig: { "plume:clientSecret": FIRST_SECRET },
    });
  });

  after(async () => {
    stack?.dispose();
    await relay?.close();
    await fleet?.close();
  });

  async function record(run: Promise<StackRun>): Promise<StackRun> {
    const result = await run;
    runs.push(result);
    return result;
  }

  it("keeps a client secret set with --secret out of the state file, the stored provider and every output", async () => {
    assertSucceeded(await record(stack.up()));

    const state = stack.stateText();
    assert.ok(state.includes("__provider"), "the checkpoint holds the serialized provider");
    assert.equal(state.includes(FIRST_SECRET), false, "plaintext secret in the state files");
    assert.equal(state.includes(Buffer.from(FIRST_SECRET).toString("base64")), false);
    assert.equal(everythingShown(runs).includes(FIRST_SECRET), false, "secret in the CLI's output");
  });

  it("after a secret rotation, a plain refresh fails naming the stored settings and --run-program; with it, it works", async () => {
    fleet.sim.rotateClientSecret(fleet.sim.credentials.clientId, ROTATED_SECRET);
    await stack.setConfig({}, { "plume:clientSecret": ROTATED_SECRET });
    fleet.sim.resetCounters();

    const stale = await record(stack.refresh());

    assert.equal(stale.ok, false);
    assert.match(everythingShown([stale]), /--run-program/);
    assert.equal(fleet.sim.counters().patches, 0);

    const current = await record(stack.refresh({ runProgram: true }));

    assertSucceeded(current);
    assert.equal(fleet.sim.counters().patches, 0);
  });

  it("plans no change to any location for a rotated secret, and the next up stores the new settings", async () => {
    const preview = await record(stack.preview());

    assertSucceeded(preview);
    assert.deepEqual(
      preview.steps.filter((step) => step.op !== "same"),
      [],
    );

    const up = await record(stack.up());
    assertSucceeded(up);
    assert.equal(fleet.sim.counters().patches, 0);
  });

  it("repairs drift with `up --refresh --run-program` after the apiUrl moved", async () => {
    await relay.close();
    await stack.setConfig({ "plume:apiUrl": fleet.sim.url });
    const [drifted] = fleet.entries;
    fleet.sim.state.driftLocation(drifted.customerId, drifted.locationId, { serviceId: "EDITED-IN-UI" });

    const repaired = await record(stack.up({ refresh: true, runProgram: true }));

    assertSucceeded(repaired);
    assert.deepEqual(divergences(fleet.sim, fleet.entries), []);
  });

  it("fails a refresh against a wrong path prefix in plume:apiUrl, naming the URL, and keeps every location in state", async () => {
    const managed = await managedLocations(stack);
    await stack.setConfig({ "plume:apiUrl": `${fleet.sim.url}/wrong-prefix` });
    fleet.sim.resetCounters();

    const wrong = await record(stack.refresh({ runProgram: true }));

    assert.equal(wrong.ok, false, "a refresh against a wrong URL succeeded");
    assert.ok(
      everythingShown([wrong]).includes(`${fleet.sim.url}/wrong-prefix/api/Customers/`),
      wrong.stderr,
    );
    assert.match(everythingShown([wrong]), /plume:apiUrl/);
    assert.deepEqual(await managedLocations(stack), managed);
    assert.equal(managed.length, fleet.entries.length);
    assert.equal(fleet.sim.counters().patches, 0);
    await stack.setConfig({ "plume:apiUrl": fleet.sim.url });
  });

  it("destroys with the moved apiUrl and rotated secret: a plain destroy names --run-program, with it every location is reset", async () => {
    fleet.sim.rotateClientSecret(fleet.sim.credentials.clientId, `${ROTATED_SECRET}-2`);
    await stack.setConfig({}, { "plume:clientSecret": `${ROTATED_SECRET}-2` });

    const stale = await record(stack.destroy());

    assert.equal(stale.ok, false);
    assert.match(everythingShown([stale]), /--run-program/);

    const destroyed = await record(stack.destroy({ runProgram: true }));

    assertSucceeded(destroyed);
    const profiles = fleet.entries.map(
      (entry) => fleet.sim.state.getLocation(entry.customerId, entry.locationId)?.profile,
    );
    assert.deepEqual(new Set(profiles), new Set(["auto"]));
    for (const secret of [FIRST_SECRET, ROTATED_SECRET]) {
      assert.equal(stack.stateText().includes(secret), false);
      assert.equal(everythingShown(runs).includes(secret), false);
    }
  });
});

describe("early errors: a preview verifies the connection settings through the real Pulumi CLI", function () {
  this.timeout(240_000);
  let fleet: SimulatedFleet;
  const stacks: TestStack[] = [];

  before(async () => {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 3 });
    fleet.writeFleet(fleet.entries);
  });

  beforeEach(() => fleet.sim.resetCounters());

  after(async () => {
    for (const stack of stacks) stack.dispose();
    await fleet?.close();
  });

  async function preview(options: TestStackOptions, create = fleet.createStack): Promise<StackRun> {
    const stack = await create(options);
    stacks.push(stack);
    return stack.preview();
  }

  /** The messages the engine showed (a line the provider host printed on stderr is one of them). */
  function shownMessages(run: StackRun): string[] {
    return run.diagnostics.map((diagnostic) => diagnostic.message);
  }

  it("fails the preview of a wrong client secret with the token endpoint's refusal and its hint, without one location call", async () => {
    const run = await preview({ secretConfig: { "plume:clientSecret": "not-the-client-secret" } });

    assert.equal(run.ok, false);
    const shown = everythingShown([run]);
    assert.match(shown, /has a problem: Plume's token endpoint refused to issue a token \(invalid_client\)/);
    assert.match(shown, /Hint: Check clientId \(plume:clientId \/ PLUME_CLIENT_ID\) and clientSecret/);
    assert.equal(fleet.sim.counters().tokenRequests, 1, "one verification for the whole preview");
    assert.equal(fleet.sim.counters().apiCalls, 0);
  });

  it("fails the preview of a `<cloud-id>` placeholder left in plume:tokenUrl before any request", async () => {
    const run = await preview({
      config: { "plume:tokenUrl": "https://external.sso.plume.com/oauth2/<cloud-id>/v1/token" },
    });

    assert.equal(run.ok, false);
    assert.match(
      everythingShown([run]),
      /tokenUrl still holds the placeholder `<cloud-id>`, set in `plume:tokenUrl` \(stack config\)/,
    );
    assert.deepEqual(fleet.sim.requestLog(), []);
  });

  it("previews a stack without any Plume setting, saying once that nothing was verified", async () => {
    const run = await preview({ config: { "fleet:file": join(fleet.workDir, "fleet.yaml") } }, (options) =>
      TestStack.create(options),
    );

    assertSucceeded(run);
    assert.equal(run.counts.create, 4, "three locations and the stack");
    const notes = shownMessages(run).filter((message) =>
      message.includes("nothing was verified against Plume"),
    );
    assert.equal(notes.length, 1, `the note once among: ${JSON.stringify(shownMessages(run))}`);
    assert.match(run.stdout, /pulumi-plume: no Plume connection settings are set/);
    assert.deepEqual(fleet.sim.requestLog(), []);
  });
});
