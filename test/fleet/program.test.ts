import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadFleet, selectShard } from "../../provider/fleet";

const PROGRAM = require.resolve("../../program/index.ts");

interface Declared {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

/** Runs the root program under Pulumi's mocks and resolves once `expected` resources are declared. */
async function runProgram(
  fleetFile: string | undefined,
  expected: number,
  config: Record<string, string> = {},
) {
  const declared: Declared[] = [];
  let allDeclared: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDeclared = resolve));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        declared.push({ type: args.type, name: args.name, inputs: args.inputs });
        if (declared.length === expected) allDeclared();
        return { id: `${args.inputs.customerId}/${args.inputs.locationId}`, state: args.inputs };
      },
      call: () => ({}),
    },
    "pulumi-plume-fleet",
    "test",
    true,
  );
  pulumi.runtime.setAllConfig({ ...(fleetFile === undefined ? {} : { "fleet:file": fleetFile }), ...config });
  delete require.cache[PROGRAM];
  // The program exports the function Pulumi runs and waits for; it returns the stack outputs.
  const program = require(PROGRAM) as () => Promise<{ summary: unknown }>;
  const outputs = await program();
  if (expected === 0) allDeclared();
  await done;
  return { declared, summary: outputs.summary };
}

describe("the root program", () => {
  const stackTraceLimit = Error.stackTraceLimit;
  const sdkDebug = pulumi.log.debug;
  afterEach(() => {
    Error.stackTraceLimit = stackTraceLimit;
    (pulumi.log as unknown as { debug: typeof sdkDebug }).debug = sdkDebug;
  });
  after(() => pulumi.runtime.setAllConfig({}));

  it("prepares the SDK for a fleet before it registers (no stack traces, no per-registration debug lines)", async () => {
    Error.stackTraceLimit = 10;
    await runProgram(undefined, 50);
    assert.equal(Error.stackTraceLimit, 0);
    assert.notEqual(pulumi.log.debug, sdkDebug);
  });

  it("declares one PlumeLocationService per location of fleet.yaml, named from the ids, and exports a summary", async () => {
    const { declared, summary } = await runProgram(undefined, 50);
    assert.equal(declared.length, 50);
    assert.deepEqual(
      new Set(declared.map((resource) => resource.type)),
      new Set(["pulumi-nodejs:dynamic/plume:PlumeLocationService"]),
    );
    for (const resource of declared) {
      assert.equal(resource.name, `loc-${resource.inputs.customerId}-${resource.inputs.locationId}`);
    }
    assert.deepEqual(summary, {
      file: "fleet.yaml",
      total: 50,
      customers: 40,
      byProfile: { auto: 34, smallbusiness: 16 },
    });
  });

  it("reads the fleet file named by fleet:file, in any format", async () => {
    const directory = mkdtempSync(join(tmpdir(), "program-"));
    const file = join(directory, "crm.csv");
    writeFileSync(file, "Customer ID,Location ID,Service ID,Product\nacme,hq,BIZ-1,WorkPass\n");
    const { declared } = await runProgram(file, 1);
    assert.deepEqual(declared[0].inputs, {
      customerId: "acme",
      locationId: "hq",
      serviceId: "BIZ-1",
      profile: "smallbusiness",
      __provider: declared[0].inputs.__provider,
    });
  });

  it("declares nothing and reports every problem, without a stack trace, when the fleet file is invalid", async () => {
    const directory = mkdtempSync(join(tmpdir(), "program-"));
    const file = join(directory, "fleet.json");
    writeFileSync(
      file,
      '[{"customerId": "c", "locationId": "l"}, {"customerId": "c", "locationId": "l", "serviceId": "s"}]',
    );
    await assert.rejects(runProgram(file, 0), (error: Error) => {
      assert.ok(pulumi.RunError.isInstance(error));
      assert.match(error.message, /fleet\.json:1 \[0\]\.serviceId: is required/);
      assert.match(error.message, /listed twice/);
      return true;
    });
  });

  it("declares only the customers of the shard named by fleet:shard, and names the shard in the summary", async () => {
    const fleet = loadFleet(join(__dirname, "..", "..", "fleet.yaml")).entries;
    const declaredIds: string[] = [];
    for (const index of [0, 1, 2]) {
      const expected = selectShard(fleet, { index, count: 3 });
      const { declared, summary } = await runProgram(undefined, expected.length, {
        "fleet:shard": `${index}/3`,
      });
      assert.deepEqual(
        declared.map((resource) => resource.name),
        expected.map((entry) => entry.name),
      );
      assert.deepEqual(summary, {
        file: "fleet.yaml",
        shard: `${index}/3`,
        total: expected.length,
        customers: new Set(expected.map((entry) => entry.customerId)).size,
        byProfile: {
          auto: expected.filter((entry) => entry.profile === "auto").length,
          smallbusiness: expected.filter((entry) => entry.profile === "smallbusiness").length,
        },
      });
      declaredIds.push(...declared.map((resource) => resource.name));
    }
    assert.equal(declaredIds.length, 50, "the three shards together declare every location once");
    assert.equal(new Set(declaredIds).size, 50);
  });

  it("declares nothing and says what to write when fleet:shard is malformed", async () => {
    for (const [value, problem] of [
      ["3 of 8", /not <index>\/<count>/],
      ["8/8", /the index must be from 0 to 7/],
    ] as const) {
      await assert.rejects(runProgram(undefined, 0, { "fleet:shard": value }), (error: Error) => {
        assert.ok(pulumi.RunError.isInstance(error));
        assert.match(error.message, /^fleet:shard: Invalid shard/);
        assert.match(error.message, problem);
        assert.match(error.message, /pulumi config set fleet:shard 3\/8/);
        return true;
      });
    }
  });
});
