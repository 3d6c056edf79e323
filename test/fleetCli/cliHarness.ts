// Runs `plume-fleet` command lines in this process, with streams that record what a user would see.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningSimulator } from "../../simulator";
import { runCli } from "../../provider/cli/main";

/** What one command line printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A recording output stream; `isTTY` as given. */
export function recordingStream(isTTY = false): {
  write(text: string): boolean;
  isTTY: boolean;
  text: string;
} {
  return {
    isTTY,
    text: "",
    write(text: string) {
      this.text += text;
      return true;
    },
  };
}

/** The PLUME_* settings that point at `sim`, fast enough for tests. */
export function simulatorEnv(sim: RunningSimulator): Record<string, string> {
  return {
    PLUME_API_URL: sim.url,
    PLUME_TOKEN_URL: sim.tokenUrl,
    PLUME_CLIENT_ID: sim.credentials.clientId,
    PLUME_CLIENT_SECRET: sim.credentials.clientSecret,
    PLUME_PARTNER_ID: sim.credentials.partnerId,
    PLUME_MAX_REQUESTS_PER_SECOND: "1000",
    PLUME_WINDOW_LIMIT: "100000",
    PLUME_WINDOW_MS: "1000",
  };
}

/** A scratch directory for fleet files. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), "plume-fleet-cli-"));
}

/** Runs `plume-fleet <args>` in `cwd` with `env`. */
export async function fleetCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string | undefined>; signal?: AbortSignal },
): Promise<CliRun> {
  const stdout = recordingStream();
  const stderr = recordingStream();
  const code = await runCli(args, {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd,
    now: () => 0,
    signal: options.signal ?? new AbortController().signal,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
