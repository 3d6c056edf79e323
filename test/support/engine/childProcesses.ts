/**
 * The processes a run started (programs, provider hosts). If the test process exits while a run is
 * still going (a mocha timeout followed by `--exit`), they are killed with it instead of living on as
 * orphans on a shared machine.
 */
const live = new Set<number>();
let isHookInstalled = false;

function killAll(): void {
  for (const pid of live) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** Kills `pid` when this process exits, until {@link forgetChildProcess} is called. */
export function killOnExit(pid: number | undefined): void {
  if (pid === undefined) {
    return;
  }
  if (!isHookInstalled) {
    process.once("exit", killAll);
    isHookInstalled = true;
  }
  live.add(pid);
}

/** The process ended (or was stopped): nothing left to kill. */
export function forgetChildProcess(pid: number | undefined): void {
  if (pid !== undefined) {
    live.delete(pid);
  }
}
