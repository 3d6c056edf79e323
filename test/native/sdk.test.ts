// The generated SDKs under sdk/: what `npm run sdk` makes of schema.json today, so they cannot drift from the
// provider, and at the version of package.json, so a program's SDK asks the engine for the plugin it ships with.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { provisionPulumi, sdkgenPath } from "../../scripts/provisionPulumi";
import { SDK_LANGUAGES } from "../../scripts/sdk";

const REPO_ROOT = path.join(__dirname, "..", "..");
const VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
).version;

/** Every file under `dir`, relative to it, with its text. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), readFileSync(file, "utf8"));
  }
  return files;
}

function pluginVersion(file: string): string {
  return (JSON.parse(readFileSync(path.join(REPO_ROOT, file), "utf8")) as { version: string }).version;
}

describe("the generated SDKs", function () {
  this.timeout(120_000);

  it("are exactly what the SDK generator makes of schema.json (run `npm run sdk` after changing the schema)", async function () {
    await provisionPulumi();
    const out = mkdtempSync(path.join(tmpdir(), "plume-sdk-"));
    try {
      const schema = path.join(REPO_ROOT, "schema.json");
      const generated = spawnSync(
        sdkgenPath(),
        ["--schema", schema, "--out", out, "--language", SDK_LANGUAGES.join(",")],
        {
          encoding: "utf8",
        },
      );
      assert.equal(generated.status, 0, generated.stderr);
      for (const language of SDK_LANGUAGES) {
        const fresh = tree(path.join(out, language));
        const committed = tree(path.join(REPO_ROOT, "sdk", language));
        assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), `files of sdk/${language}`);
        for (const [file, text] of fresh) assert.equal(committed.get(file), text, `sdk/${language}/${file}`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it("carry the version of package.json, as the plugin does", function () {
    const nodejs = JSON.parse(readFileSync(path.join(REPO_ROOT, "sdk/nodejs/package.json"), "utf8")) as {
      version: string;
      pulumi: { version: string };
    };
    assert.deepEqual(
      {
        nodejs: nodejs.version,
        nodejsPlugin: nodejs.pulumi.version,
        go: pluginVersion("sdk/go/plume/pulumi-plugin.json"),
        python: pluginVersion("sdk/python/pulumi_plume/pulumi-plugin.json"),
      },
      { nodejs: VERSION, nodejsPlugin: VERSION, go: VERSION, python: VERSION },
    );
    assert.match(
      readFileSync(path.join(REPO_ROOT, "sdk/python/setup.py"), "utf8"),
      new RegExp(`VERSION = "${VERSION}"`),
    );
  });
});
