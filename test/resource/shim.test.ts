// The provider text stored in state (`__provider`, twice per resource): one line, stable, free of configuration,
// secrets and machine-specific paths; it loads the implementation at run time. The text stored while 0.2.0 was in development keeps
// working beside it.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DYNAMIC_PROVIDER_SOURCE } from "../../provider/resource/shim";
import type { RunningSimulator } from "../../simulator";
import { ProviderHost, ProviderHostError, REPO_ROOT } from "../../support/providerHost";
import {
  CUSTOMER,
  location,
  oauthConfig,
  props,
  startConfiguredHost,
  startSeededSimulator,
} from "./fixtures";

/** What PlumeLocationService stored until 2026-12-02 (0.2.0 in development): the closure serializer's output for a shim calling `bindShim`. */
const DEVELOPMENT_0_2_0_TEXT = readFileSync(
  path.join(__dirname, "fixtures", "serializedProvider-0.2.0-dev.txt"),
  "utf8",
);

/** The text as this package stores it from 0.2.0 on; a change rewrites every stack's state. */
const COMMITTED_TEXT =
  'exports.handler = () => require("module").createRequire(process.cwd() + "/")("pulumi-plume/dynamic-provider")' +
  ".hostProvider;\n";

describe("the provider text stored in state", function () {
  it("is one line of 124 bytes, stored twice per resource (it was 627)", function () {
    assert.equal(Buffer.byteLength(DYNAMIC_PROVIDER_SOURCE), 124);
    assert.equal(DYNAMIC_PROVIDER_SOURCE.split("\n").length, 2);
    assert.equal(Buffer.byteLength(DEVELOPMENT_0_2_0_TEXT), 627);
  });

  it("is the committed text: changing it rewrites every stack's state", function () {
    assert.equal(DYNAMIC_PROVIDER_SOURCE, COMMITTED_TEXT);
  });

  it("names no setting, secret, URL or path of this machine", function () {
    assert.doesNotMatch(DYNAMIC_PROVIDER_SOURCE, /PLUME_|plume:[A-Za-z]|secret|Bearer|https?:/i);
    assert.ok(!DYNAMIC_PROVIDER_SOURCE.includes(REPO_ROOT), "the repository path is in __provider");
    assert.doesNotMatch(DYNAMIC_PROVIDER_SOURCE, /\/(home|Users|tmp|work|root)\//);
  });

  describe("loading the implementation in the provider host", function () {
    this.timeout(60_000);
    let scratch: string;

    before(function () {
      scratch = mkdtempSync(path.join(tmpdir(), "pulumi-plume-shim-"));
    });

    after(function () {
      rmSync(scratch, { recursive: true, force: true });
    });

    async function checkIn(cwd: string, text: string): Promise<Record<string, unknown>> {
      const host = await ProviderHost.start({ cwd });
      try {
        await host.configure({});
        const result = await host.check(
          {},
          { customerId: "c", locationId: "l", serviceId: "s", __provider: text },
        );
        return result.inputs as Record<string, unknown>;
      } finally {
        await host.close();
      }
    }

    it("uses the installed pulumi-plume package through its exports map, for both texts", async function () {
      const project = path.join(scratch, "npm-project");
      const packageDir = path.join(project, "node_modules", "pulumi-plume");
      const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
      const target = manifest.exports["./dynamic-provider"] as string;
      mkdirSync(path.dirname(path.join(packageDir, target)), { recursive: true });
      writeFileSync(
        path.join(packageDir, "package.json"),
        JSON.stringify({ name: "pulumi-plume", exports: manifest.exports }),
      );
      writeFileSync(
        path.join(packageDir, target),
        [
          'const check = (via) => async (_olds, news) => ({ inputs: { ...news, loadedFrom: "package", via } });',
          'exports.hostProvider = { check: check("hostProvider") };',
          'exports.bindShim = async (shim) => { shim.check = check("bindShim"); };',
        ].join("\n"),
      );

      assert.deepEqual(
        [await checkIn(project, DYNAMIC_PROVIDER_SOURCE), await checkIn(project, DEVELOPMENT_0_2_0_TEXT)].map(
          ({ loadedFrom, via }) => [loadedFrom, via],
        ),
        [
          ["package", "hostProvider"],
          ["package", "bindShim"],
        ],
      );
    });

    it("uses this repository's sources from a subdirectory of it (the package resolves itself by name)", async function () {
      for (const text of [DYNAMIC_PROVIDER_SOURCE, DEVELOPMENT_0_2_0_TEXT]) {
        const inputs = await checkIn(path.join(REPO_ROOT, "program"), text);
        assert.equal(inputs.profile, "auto");
      }
    });

    it("fails naming the package to install when neither is there", async function () {
      const empty = path.join(scratch, "empty-project");
      mkdirSync(empty, { recursive: true });
      await assert.rejects(checkIn(empty, DYNAMIC_PROVIDER_SOURCE), (error: unknown) => {
        assert.ok(error instanceof ProviderHostError);
        assert.match(error.details, /Cannot find module 'pulumi-plume\/dynamic-provider'/);
        return true;
      });
    });
  });

  describe("in a host that meets both texts in one deployment (a stack written before, being updated)", function () {
    this.timeout(60_000);
    let sim: RunningSimulator;
    let host: ProviderHost;

    before(async function () {
      sim = await startSeededSimulator();
      host = await startConfiguredHost(oauthConfig(sim));
    });

    after(async function () {
      await host?.close();
      await sim?.close();
    });

    it("verifies missing settings once, not once per text: one note that nothing was verified", async function () {
      const bare = await startConfiguredHost({});
      try {
        const current = await props(2, "SVC-2");
        await bare.check({}, current);
        await bare.check({}, { ...current, __provider: DEVELOPMENT_0_2_0_TEXT });
      } finally {
        await bare.close();
      }

      assert.equal(bare.stderr.split("so nothing was verified against Plume").length - 1, 1);
      assert.deepEqual(sim.requestLog(), []);
    });

    it("configures the provider once: one token request serves checks, diffs and reads through either text", async function () {
      const current = await props(1, "SVC-1");
      const old = { ...current, __provider: DEVELOPMENT_0_2_0_TEXT };
      const id = `${CUSTOMER}/${location(1)}`;

      const checks = await Promise.all([host.check({}, current), host.check({}, old)]);
      const checked = checks[0].inputs as Record<string, unknown>;
      const diff = await host.diff(id, { ...checked, __provider: DEVELOPMENT_0_2_0_TEXT }, checked);
      const read = await host.read(id, old);

      assert.deepEqual(
        checks.map((check) => check.failures),
        [[], []],
      );
      assert.equal(diff.changes, "none");
      assert.equal(read.id, id);
      assert.equal(sim.counters().tokenRequests, 1);
      assert.equal(sim.counters().gets, 1);
    });
  });
});
