// The real-CLI benchmark's pure parts: its flags, how it tells processes apart, how it judges the targets.
import assert from "node:assert/strict";
import type { CliPhaseFigures } from "../../bench/cliFigures";
import { defaultCliBenchOptions, parseCliBenchFlags } from "../../bench/cliOptions";
import { renderCliJsonLine, renderCliReport } from "../../bench/cliReport";
import { isLocationResourceType } from "../../bench/checkpoints";
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
      assert.deepEqual(options.providers, ["dynamic"]);
      assert.equal(options.doNothing, true);
    });

    const doors: [string, string[]][] = [
      ["dynamic", ["dynamic"]],
      ["native", ["native"]],
      ["both", ["dynamic", "native"]],
    ];
    for (const [flag, providers] of doors) {
      it(`run the phases through ${providers.join(" then ")} with --provider ${flag}`, () => {
        assert.deepEqual(parseCliBenchFlags(["--provider", flag]).providers, providers);
      });
    }

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
        () =>
          parseCliBenchFlags([
            "--locations",
            "0",
            "--phases",
            "up,deploy",
            "--checkpoints",
            "never",
            "--provider",
            "grpc",
          ]),
        (error: unknown) => {
          assert.ok(error instanceof BenchUsageError);
          assert.equal(error.problems.length, 4);
          assert.match(error.problems.join("\n"), /--provider takes dynamic, native or both; got "grpc"/);
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
      [
        "the plume plugin from its tarball",
        ["node", "/root/.pulumi/plugins/resource-plume-v0.2.0/dist/provider/native/main.js", "127.0.0.1:1"],
        "provider host",
      ],
      [
        "the plume plugin from a checkout",
        ["node", "-r", "/r/node_modules/ts-node/register", "/r/provider/native/main.ts", "127.0.0.1:1"],
        "provider host",
      ],
      [
        "the plume plugin's launcher",
        ["/bin/sh", "/r/bin/pulumi-resource-plume", "127.0.0.1:1"],
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

    it("judges each door's state on its own, against the same do-nothing floor", () => {
      const state = (total: number) => ({ total, serializedProvider: 0, registrationTrace: 0 });
      const noOp = { phase: "no-op up", apiCalls: 0, ratio: undefined };
      const targets = evaluateCliTargets([
        phase({ resourceState: state(2535) }),
        phase({ provider: "native", resourceState: state(963) }),
        phase({ ...noOp, cpu: { ...phase({}).cpu, totalSeconds: 50 } }),
        phase({ ...noOp, provider: "native", cpu: { ...phase({}).cpu, totalSeconds: 40 } }),
        phase({ ...noOp, program: "do-nothing", cpu: { ...phase({}).cpu, totalSeconds: 40 } }),
      ]);
      const verdict = (prefix: string) =>
        targets
          .filter((target) => target.target.startsWith(prefix))
          .map((target) => [target.target, target.met]);
      assert.deepEqual(verdict("state under"), [
        ["state under 2048 bytes per resource (dynamic)", false],
        ["state under 2048 bytes per resource (native)", true],
      ]);
      assert.deepEqual(
        verdict("our share").map(([target, met]) => [String(target).includes("(native,"), met]),
        [
          [false, false],
          [true, true],
        ],
      );
    });
  });

  describe("its report", () => {
    const figures: CliPhaseFigures = {
      phase: "first up",
      program: "plume",
      provider: "native",
      checkpoints: "skip",
      locations: 1000,
      wallSeconds: 55,
      apiCalls: 1000,
      firewallRejections: 0,
      failedOperations: 0,
      cpu: {
        totalSeconds: 20,
        byRole: { engine: 5, "language host": 1, program: 10, "provider host": 3, other: 0 },
      },
      checkpointSaves: 0,
      checkpointBytesWritten: 0,
      stateBytesPerResource: 1064,
      physicalLimitSeconds: 50,
      ratio: 1.1,
    };
    const report = {
      setup: {
        locations: 1000,
        firewall: { limit: 100, windowMs: 5000 },
        latencyMs: 40,
        jitterMs: 20,
        limiter: {},
        pulumiEnv: {},
        pulumiVersion: "3.274.1",
        node: "v20",
        cpus: 2,
        loadAverage: 1,
      },
      phases: [figures],
      targets: [],
    };

    it("names the door of every phase in a column after the program", () => {
      const lines = renderCliReport(report).split("\n");
      assert.match(
        lines.find((line) => line.startsWith("| program"))!,
        /^\| program \| provider \| checkpoints \|/,
      );
      assert.ok(lines.some((line) => line.startsWith("| plume | native | skip | first up | 55.0 | 1000 |")));
    });

    it("keeps the JSON line's fields of every phase and adds its provider", () => {
      const [phase] = JSON.parse(renderCliJsonLine(report)).phases;
      assert.deepEqual(
        {
          phase: phase.phase,
          provider: phase.provider,
          ratio: phase.ratio,
          failedOperations: phase.failedOperations,
          wallSeconds: phase.wallSeconds,
          apiCalls: phase.apiCalls,
        },
        {
          phase: "first up",
          provider: "native",
          ratio: 1.1,
          failedOperations: 0,
          wallSeconds: 55,
          apiCalls: 1000,
        },
      );
    });
  });

  describe("reading the checkpoint", () => {
    const types: [string, boolean][] = [
      ["pulumi-nodejs:dynamic:PlumeLocationService", true],
      ["plume:index:LocationService", true],
      ["pulumi:providers:plume", false],
      ["pulumi:pulumi:Stack", false],
    ];
    for (const [type, isLocation] of types) {
      it(`${isLocation ? "counts" : "skips"} a resource of type ${type}`, () => {
        assert.equal(isLocationResourceType(type), isLocation);
      });
    }
  });
});
