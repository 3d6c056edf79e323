// The serialized provider (`__provider`, stored twice per resource in state): small, stable, and free of
// configuration, secrets and machine-specific paths; it loads the implementation at run time.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { plumeProviderShim } from "../../provider/resource/shim";
import { ProviderHost, ProviderHostError, REPO_ROOT, serializeProvider } from "../../support/providerHost";
import { CANARY } from "./fixtures";

const GOLDEN = path.join(__dirname, "fixtures", "serializedProvider.txt");

describe("the serialized provider shim", function () {
  let text: string;

  before(async function () {
    // Settings in the environment of the program must not be captured.
    process.env.PLUME_CLIENT_SECRET = CANARY.clientSecret;
    try {
      text = await serializeProvider(plumeProviderShim);
    } finally {
      delete process.env.PLUME_CLIENT_SECRET;
    }
  });

  it("is under 700 bytes, as it is stored twice per resource", function () {
    assert.ok(Buffer.byteLength(text) < 700, `__provider is ${Buffer.byteLength(text)} bytes`);
  });

  it("captures only its own function: no client, config, secret or environment value", function () {
    assert.ok(!text.includes(CANARY.clientSecret));
    assert.doesNotMatch(text, /PLUME_|plume:[A-Za-z]|sim-secret|Bearer|https?:/);
    const captured = [...text.matchAll(/with\(\{ (.*?) \}\)/g)].map((match) => match[1]);
    for (const names of captured) {
      for (const name of names.split(", ")) {
        assert.match(name, /^(provider: __provider|this: undefined|arguments: undefined)$/);
      }
    }
  });

  it("holds no path of this machine", function () {
    assert.ok(!text.includes(REPO_ROOT), "the repository path is in __provider");
    assert.doesNotMatch(text, /\/(home|Users|tmp|work|root)\//);
  });

  it("is deterministic and matches the committed copy (a change rewrites every stack's state)", async function () {
    assert.equal(await serializeProvider(plumeProviderShim), text);
    assert.equal(
      text,
      readFileSync(GOLDEN, "utf8"),
      `the serialized shim changed: if that is intended, update ${path.relative(REPO_ROOT, GOLDEN)}`,
    );
  });

  it("serializes the same from the compiled package (tsc with the build's options) as from the sources", async function () {
    this.timeout(60_000);
    const ts = await import("typescript");
    const configPath = path.join(REPO_ROOT, "tsconfig.build.json");
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => assert.fail(String(diagnostic.messageText)),
      },
    );
    assert.ok(parsed);
    const outDir = mkdtempSync(path.join(tmpdir(), "pulumi-plume-dist-"));
    try {
      const program = ts.createProgram([path.join(REPO_ROOT, "provider", "resource", "shim.ts")], {
        ...parsed.options,
        outDir,
        rootDir: path.join(REPO_ROOT, "provider", "resource"),
        noEmit: false,
        declaration: false,
        sourceMap: false,
      });
      const emitted = program.emit();
      assert.equal(emitted.emitSkipped, false);
      const compiled = require(path.join(outDir, "shim.js")) as typeof import("../../provider/resource/shim");
      assert.equal(await serializeProvider(compiled.plumeProviderShim), text);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });

  describe("loading the implementation in the provider host", function () {
    let scratch: string;

    before(function () {
      scratch = mkdtempSync(path.join(tmpdir(), "pulumi-plume-shim-"));
    });

    after(function () {
      rmSync(scratch, { recursive: true, force: true });
    });

    async function checkIn(cwd: string): Promise<unknown> {
      const host = await ProviderHost.start({ cwd });
      try {
        await host.configure({});
        const result = await host.check(
          {},
          { customerId: "c", locationId: "l", serviceId: "s", __provider: text },
        );
        return result.inputs;
      } finally {
        await host.close();
      }
    }

    it("uses the installed pulumi-plume package through its exports map", async function () {
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
        'exports.bindShim = async (shim) => { shim.check = async (_olds, news) => ({ inputs: { ...news, loadedFrom: "package" } }); };',
      );
      const inputs = (await checkIn(project)) as Record<string, unknown>;
      assert.equal(inputs.loadedFrom, "package");
    });

    it("uses this repository's sources from a subdirectory of it (the package resolves itself by name)", async function () {
      const inputs = (await checkIn(path.join(REPO_ROOT, "program"))) as Record<string, unknown>;
      assert.equal(inputs.profile, "auto");
    });

    it("fails naming the package to install when neither is there", async function () {
      const empty = path.join(scratch, "empty-project");
      mkdirSync(empty, { recursive: true });
      await assert.rejects(checkIn(empty), (error: unknown) => {
        assert.ok(error instanceof ProviderHostError);
        assert.match(error.details, /Cannot find module 'pulumi-plume\/dynamic-provider'/);
        return true;
      });
    });
  });
});
