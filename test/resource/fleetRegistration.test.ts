import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { prepareFleetRegistration } from "../../provider";

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
