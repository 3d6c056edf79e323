// The real-CLI benchmark's pure parts: its flags, how it tells processes apart, how it judges the targets.
import assert from "node:assert/strict";
import type { CliPhaseFigures } from "../../bench/cliFigures";
import { defaultCliBenchOptions, parseCliBenchFlags } from "../../bench/cliOptions";
import { BenchUsageError } from "../../bench/options";
import { evaluateCliTargets } from "../../bench/cliTargets";
import { classify } from "../../bench/processTree";

describe("the real-CLI benchmark", () => {
  describe("its flags", () => {
    it("default to 1,000 locations, all six phases, both checkpoint modes and the do-nothing floor", () => {
      const options = parseCliBenchFlags([]);
      assert.deepEqual(options, { ...defaultCliBenchOptions });
      assert.deepEqual(options.phases, ["up", "preview", "noop-up", "refresh", "edit-up", "destroy"]);
      assert.deepEqual(options.checkpoints, ["default", "skip"]);
      assert.equal(options.doNothing, true);
    });

    it("take phases and checkpoint modes as lists, kept in their fixed order", () => {
      const options = parseCliBenchFlags([
        "--locations",
        "10000",
        "--phases",
        "preview,up",
        "--checkpoints",
        "skip",
        "--no-do-nothing",
      ]);
      assert.equal(options.locations, 10000);
      assert.deepEqual(options.phases, ["up", "preview"]);
      assert.deepEqual(options.checkpoints, ["skip"]);
      assert.equal(options.doNothing, false);
    });

    it("report every bad flag at once", () => {
      assert.throws(
        () => parseCliBenchFlags(["--locations", "0", "--phases", "up,deploy", "--checkpoints", "never"]),
        (error: unknown) => {
          assert.ok(error instanceof BenchUsageError);
          assert.equal(error.problems.length, 3);
          assert.match(error.problems.join("\n"), /--locations must be at least 1/);
          assert.match(error.problems.join("\n"), /--phases .*"up,deploy"/);
          assert.match(error.problems.join("\n"), /--checkpoints .*"never"/);
          return true;
        },
      );
    });
  });

  describe("telling the processes of a Pulumi command apart", () => {
    const cases: [string, string[], string][] = [
      ["the pulumi CLI", ["/root/.pulumi/versions/3.274.1/bin/pulumi", "up", "--yes"], "engine"],
      [
        "the Node.js language host",
        ["/root/.pulumi/bin/pulumi-language-nodejs", "127.0.0.1:1"],
        "language host",
      ],
      [
        "Node running cmd/run",
        ["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/run/index.js"],
        "program",
      ],
      [
        "Node running cmd/dynamic-provider",
        ["/usr/bin/node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "x"],
        "provider host",
      ],
      [
        "the dynamic-provider launcher",
        ["/bin/sh", "/root/.pulumi/bin/pulumi-resource-pulumi-nodejs"],
        "provider host",
      ],
      ["anything else", ["/usr/bin/node", "/work/other/mocha"], "other"],
    ];
    for (const [label, args, role] of cases) {
      it(`counts ${label} as ${role}`, () => {
        assert.equal(classify(args.join("\0")), role);
      });
    }
  });

  describe("judging the targets", () => {
    function phase(overrides: Partial<CliPhaseFigures>): CliPhaseFigures {
      return {
        phase: "first up",
        program: "plume",
        provider: "dynamic",
        checkpoints: "skip",
        locations: 1000,
        wallSeconds: 55,
        apiCalls: 1000,
        firewallRejections: 0,
        failedOperations: 0,
        cpu: {
          totalSeconds: 10,
          byRole: { engine: 0, "language host": 0, program: 0, "provider host": 0, other: 0 },
        },
        checkpointSaves: 1,
        checkpointBytesWritten: 0,
        stateBytesPerResource: 0,
        physicalLimitSeconds: 50,
        ratio: 1.1,
        ...overrides,
      };
    }

    it("meets the firewall target only within 1.15 times the limit and without a failure", () => {
      const verdicts = evaluateCliTargets([
        phase({ ratio: 1.1 }),
        phase({ phase: "refresh", ratio: 1.2 }),
        phase({ phase: "destroy", ratio: 1.05, failedOperations: 1 }),
      ]).map((target) => target.met);
      assert.deepEqual(verdicts, [true, false, false]);
    });

    it("never meets the 10,000-location preview target with a smaller fleet, however fast", () => {
      const [target] = evaluateCliTargets([
        phase({ phase: "no-op preview", apiCalls: 0, wallSeconds: 1, ratio: undefined }),
      ]);
      assert.equal(target.met, false);
      assert.match(target.measured, /not measured at 10,000/);
    });

    it("takes our share of a no-op run against the do-nothing run of the same phase and checkpoint mode", () => {
      const noOp = { phase: "no-op preview", apiCalls: 0, ratio: undefined };
      const targets = evaluateCliTargets([
        phase({ ...noOp, cpu: { ...phase({}).cpu, totalSeconds: 40 } }),
        phase({ ...noOp, program: "do-nothing", cpu: { ...phase({}).cpu, totalSeconds: 37 } }),
        phase({
          ...noOp,
          program: "do-nothing",
          checkpoints: "default",
          cpu: { ...phase({}).cpu, totalSeconds: 20 },
        }),
      ]);
      const share = targets.find((target) => target.target.startsWith("our share"));
      assert.ok(share);
      assert.match(share.measured, /^7\.5 %/);
      assert.equal(share.met, true);
    });
  });
});
