import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { PULUMI_INSTALL_URL } from "../../scripts/pulumiCli";

const repositoryRoot = join(__dirname, "..", "..");

describe("the npm scripts", () => {
  it("npm run up, with neither a Pulumi CLI nor Go on the PATH and no internet, says what to install and exits non-zero", function () {
    this.timeout(60_000);
    const emptyDirectory = mkdtempSync(join(tmpdir(), "no-pulumi-"));
    const result = spawnSync("npm", ["run", "--silent", "up"], {
      cwd: repositoryRoot,
      env: {
        PATH: [dirname(process.execPath), emptyDirectory, "/bin"].join(delimiter),
        HOME: emptyDirectory,
      },
      encoding: "utf8",
    });
    assert.equal(result.status, 1, result.stderr);
    assert.ok(result.stderr.includes(PULUMI_INSTALL_URL), result.stderr);
    assert.ok(!result.stderr.includes("    at "), "a stack trace was printed");
  });
});
