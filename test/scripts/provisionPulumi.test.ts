import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  INSTALLED_BINARIES,
  legacyFingerprint,
  PULUMI_VERSION,
  pulumiInstallRoot,
  sdkgenPath,
  staleBinaries,
  PulumiProvisionError,
} from "../../scripts/provisionPulumi";

describe("provisionPulumi's reuse of an installation", () => {
  let home: string;
  let root: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "provision-"));
    root = pulumiInstallRoot({ PULUMI_HOME: home });
    mkdirSync(join(root, "bin"), { recursive: true });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const install = (names: readonly string[]) => {
    for (const name of names) writeFileSync(join(root, "bin", name), "");
  };
  const stamp = (value: object) => writeFileSync(join(root, "provisioned.json"), JSON.stringify(value));

  it("builds everything into an empty installation", () => {
    assert.deepEqual(staleBinaries(root), [...INSTALLED_BINARIES]);
  });

  it("keeps the CLI, Node.js host and launcher of an installation stamped with the single older fingerprint", () => {
    install(["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]);
    stamp({ source: "go", version: PULUMI_VERSION, fingerprint: legacyFingerprint() });
    assert.deepEqual(staleBinaries(root), ["pulumi-language-yaml", "pulumi-language-go", "sdkgen"]);
  });

  it("rebuilds every binary when the recorded fingerprints match no current source", () => {
    install(INSTALLED_BINARIES);
    stamp({ source: "go", fingerprint: "old" });
    assert.equal(staleBinaries(root).length, INSTALLED_BINARIES.length);
  });

  it("takes an installation of Pulumi's installer as complete without the SDK generator, and says so when it is asked for", () => {
    install(["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-language-go"]);
    stamp({ source: "installer", version: PULUMI_VERSION });
    assert.deepEqual(staleBinaries(root), []);
    assert.throws(() => sdkgenPath({ PULUMI_HOME: home }), PulumiProvisionError);
  });
});
