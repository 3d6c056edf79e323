// Finding and running the Pulumi CLI for `npm run up` and friends.
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Where the Pulumi CLI's install instructions are. */
export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/iac/download-install/";

/** The one message shown when the Pulumi CLI is not on the PATH. */
export const PULUMI_MISSING_MESSAGE =
  "The Pulumi CLI (`pulumi`) is not on your PATH, and this command runs it.\n" +
  `Install it (${PULUMI_INSTALL_URL}), for example with \`curl -fsSL https://get.pulumi.com | sh\` or ` +
  "`brew install pulumi/tap/pulumi`, open a new shell, check `pulumi version`, and run this command again.\n" +
  "Nothing was started or changed. (`npm test` needs no Pulumi CLI.)";

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
 * when a signal ended it). Ctrl-C reaches Pulumi directly, which then cancels cleanly; this process waits.
 */
export function runPulumi(
  executable: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ignoreInterrupt = () => undefined;
    process.on("SIGINT", ignoreInterrupt);
    const child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: "inherit" });
    child.once("error", (error) => {
      process.off("SIGINT", ignoreInterrupt);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      process.off("SIGINT", ignoreInterrupt);
      resolve(code ?? 128 + (signal === "SIGINT" ? 2 : signal === "SIGKILL" ? 9 : 15));
    });
  });
}
