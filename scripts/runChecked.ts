// One way for the build scripts to run a tool: quietly, and on failure an error that holds the command and
// everything it printed.
import { spawnSync } from "node:child_process";

/** Runs `command` with `args` in `cwd`; throws, with the command's output, when it does not exit 0. */
export function runChecked(command: string, args: readonly string[], cwd?: string): void {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`,
    );
  }
}
