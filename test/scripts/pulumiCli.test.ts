// Running the Pulumi CLI for `npm run up` and friends: signals must not end this process before Pulumi, or the
// simulator Pulumi talks to would vanish under it (and its state would not be written).
import assert from "node:assert/strict";
import {
  type FSWatcher,
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  watch,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPulumi } from "../../scripts/pulumiCli";

// A stand-in `pulumi` that runs until it is interrupted, records the signal it got, and exits as Pulumi does
// after a cancelled update. It gives up on its own after a minute, so a failing test leaves nothing behind.
const SCRIPT = `#!/usr/bin/env node
const fs = require("node:fs");
const directory = process.env.STANDIN_DIR;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    fs.appendFileSync(directory + "/signals", signal + "\\n");
    process.exit(255);
  });
}
setTimeout(() => process.exit(0), 60000);
fs.writeFileSync(directory + "/ready", "");
`;

function waitForFile(directory: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher: FSWatcher = watch(directory, () => {
      if (existsSync(join(directory, name))) {
        watcher.close();
        resolve();
      }
    });
    if (existsSync(join(directory, name))) {
      watcher.close();
      resolve();
    }
  });
}

describe("running the Pulumi CLI", () => {
  it("passes a SIGTERM on to Pulumi as a Ctrl-C and waits for Pulumi to exit", async () => {
    const directory = mkdtempSync(join(tmpdir(), "pulumi-signals-"));
    const executable = join(directory, "pulumi");
    writeFileSync(executable, SCRIPT);
    chmodSync(executable, 0o755);
    const listenersBefore = process.listenerCount("SIGTERM");

    const ready = waitForFile(directory, "ready");
    const run = runPulumi(executable, ["up"], {
      cwd: directory,
      env: { ...process.env, STANDIN_DIR: directory },
    });
    await ready;
    process.emit("SIGTERM", "SIGTERM");

    assert.equal(await run, 255);
    assert.equal(readFileSync(join(directory, "signals"), "utf8"), "SIGINT\n");
    assert.equal(process.listenerCount("SIGTERM"), listenersBefore);
  });
});
