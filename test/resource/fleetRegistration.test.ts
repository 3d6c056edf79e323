import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { prepareFleetRegistration, registerFleet } from "../../provider";

type DebugLog = typeof pulumi.log.debug;
const log = pulumi.log as unknown as { debug: DebugLog };

describe("prepareFleetRegistration", () => {
  const sdkDebug = log.debug;
  const stackTraceLimit = Error.stackTraceLimit;
  let sent: string[];

  beforeEach(() => {
    sent = [];
    log.debug = (message) => {
      sent.push(message);
      return Promise.resolve();
    };
    Error.stackTraceLimit = 10;
  });
  afterEach(() => {
    log.debug = sdkDebug;
    Error.stackTraceLimit = stackTraceLimit;
  });

  it("turns stack traces off", () => {
    prepareFleetRegistration();
    assert.equal(Error.stackTraceLimit, 0);
    assert.equal(new Error("x").stack, "Error: x");
  });

  it("drops the SDK's three debug lines per registration and passes every other debug line on", async () => {
    prepareFleetRegistration();
    await pulumi.log.debug(
      "Registering resource: t=plume:index:LocationService, name=c1-l1, custom=true, remote=false",
    );
    await pulumi.log.debug("RegisterResource RPC prepared: t=plume:index:LocationService, name=c1-l1");
    await pulumi.log.debug(
      "RegisterResource RPC finished: resource:c1-l1[plume:index:LocationService]; err: null",
    );
    await pulumi.log.debug("Registering the fleet of eu.csv");
    await pulumi.log.debug("Invoke RPC prepared: token=plume:index:x");
    assert.deepEqual(sent, ["Registering the fleet of eu.csv", "Invoke RPC prepared: token=plume:index:x"]);
  });

  it("matches the lines the installed SDK writes per registration (an SDK upgrade that rewords them fails here)", () => {
    const source = readFileSync(require.resolve("@pulumi/pulumi/runtime/resource.js"), "utf8");
    for (const line of [
      "`Registering resource: t=",
      "`RegisterResource RPC prepared: t=",
      "`RegisterResource RPC finished: ",
    ]) {
      assert.ok(source.includes(`log.debug(${line}`), `the SDK no longer writes ${line}`);
    }
  });

  it("wraps the SDK's debug function once, however often it is called", async () => {
    prepareFleetRegistration();
    const prepared = log.debug;
    prepareFleetRegistration();
    assert.equal(log.debug, prepared);
    await pulumi.log.debug("a line of the program's own");
    assert.deepEqual(sent, ["a line of the program's own"]);
  });
});

describe("registerFleet", () => {
  const stackTraceLimit = Error.stackTraceLimit;

  /** One turn of the event loop. */
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  afterEach(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });

  it("registers every entry in order and resolves after the last", async () => {
    const registered: number[] = [];

    await registerFleet([1, 2, 3, 4, 5, 6, 7], (entry) => registered.push(entry), { batchSize: 3 });

    assert.deepEqual(registered, [1, 2, 3, 4, 5, 6, 7]);
  });

  it("registers nothing before the caller yields, then one batch per turn of the event loop", async () => {
    const registered: number[] = [];
    const counts: number[] = [];

    const done = registerFleet([1, 2, 3, 4, 5], (entry) => registered.push(entry), { batchSize: 2 });
    counts.push(registered.length);
    for (let turns = 0; turns < 3; turns += 1) {
      await turn();
      counts.push(registered.length);
    }
    await done;

    assert.deepEqual(counts, [0, 2, 4, 5]);
  });

  it("registers 100 per batch by default", async () => {
    const registered: number[] = [];

    const done = registerFleet(
      Array.from({ length: 250 }, (_, index) => index),
      (entry) => registered.push(entry),
    );
    await turn();
    const afterOneTurn = registered.length;
    await done;

    assert.equal(afterOneTurn, 100);
    assert.equal(registered.length, 250);
  });

  it("stops at the first error register throws and rejects with it", async () => {
    const registered: string[] = [];
    const failure = new Error("no such profile");

    await assert.rejects(
      registerFleet(["a", "b", "c", "d"], (entry) => {
        if (entry === "b") throw failure;
        registered.push(entry);
      }),
      failure,
    );
    assert.deepEqual(registered, ["a"]);
  });

  it("refuses a batch size that is not a whole number of at least 1, registering nothing", async () => {
    const registered: number[] = [];
    for (const batchSize of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(
        registerFleet([1], (entry) => registered.push(entry), { batchSize }),
        /batchSize must be a whole number of at least 1/,
      );
    }
    assert.deepEqual(registered, []);
  });

  it("registers from its own turn of the event loop: no async frames or module loader under the registration", async () => {
    Error.stackTraceLimit = 50;
    const stacks: string[] = [];

    await registerFleet([1], () => stacks.push(new Error("where").stack ?? ""));

    const frames = stacks[0].split("\n").slice(1);
    assert.ok(frames.length <= 4, `registered under ${frames.length} frames:\n${stacks[0]}`);
    assert.doesNotMatch(stacks[0], /at async |Module\._compile|mocha/);
  });
});
