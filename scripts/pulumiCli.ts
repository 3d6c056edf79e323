// Finding and running the Pulumi CLI for `npm run up` and friends.
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where the Pulumi CLI's install instructions are. */
export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/iac/download-install/";

/** The full path of the executable `name` on `pathVariable` (a PATH value), or undefined. */
export function findExecutable(name: string, pathVariable: string | undefined): string | undefined {
  const extensions = process.platform === "win32" ? [".exe", ".cmd", ""] : [""];
  for (const directory of (pathVariable ?? "").split(delimiter)) {
    if (directory === "") continue;
    for (const extension of extensions) {
      const candidate = join(directory, name + extension);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here (or not executable): keep looking along the PATH.
      }
    }
  }
  return undefined;
}

/**
 * Runs the Pulumi CLI with the terminal attached, and resolves to its exit code (128 + the signal number
 * when a signal ended it). This process waits for Pulumi on Ctrl-C and SIGTERM, so the simulator Pulumi
 * talks to stays up until Pulumi is done, and is then stopped cleanly (its state written):
 * - Ctrl-C: the terminal sends SIGINT to the whole foreground process group, so Pulumi has it already and
 *   cancels cleanly; forwarding it would count as a second Ctrl-C, which makes Pulumi stop at once.
 * - SIGTERM (a cancelled CI job, `kill`, npm passing a kill on) reaches this process alone: it is passed to
 *   Pulumi as a Ctrl-C, which cancels cleanly; a second SIGTERM is a second Ctrl-C.
 */
export function runPulumi(
  executable: string,
  args: readonly string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    /** Receives Pulumi's output instead of the terminal. @default the terminal */
    onOutput?: (text: string) => void;
  },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const { onOutput } = options;
    const child = spawn(executable, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: onOutput ? ["inherit", "pipe", "pipe"] : "inherit",
    });
    for (const stream of onOutput ? [child.stdout, child.stderr] : []) {
      stream?.setEncoding("utf8").on("data", onOutput!);
    }
    const ignoreInterrupt = () => undefined;
    const cancelPulumi = () => {
      child.kill("SIGINT");
    };
    process.on("SIGINT", ignoreInterrupt);
    process.on("SIGTERM", cancelPulumi);
    const stopListening = () => {
      process.off("SIGINT", ignoreInterrupt);
      process.off("SIGTERM", cancelPulumi);
    };
    child.once("error", (error) => {
      stopListening();
      reject(error);
    });
    child.once("close", (code, signal) => {
      stopListening();
      resolve(code ?? 128 + (signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15));
    });
  });
}
