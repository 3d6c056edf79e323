// CPU time of the processes a Pulumi command starts, by role, from Linux's /proc. The exact total comes from
// this process's `cutime + cstime` (every descendant that ended and was waited for); the split by role comes
// from sampling each live descendant's own CPU time every `intervalMs`, so a process's last interval before it
// ends may be missed: the roles add up to a little less than the total.
import { readdirSync, readFileSync } from "node:fs";
import { parseCpuTicks } from "./processStats";

/** What a process does in a Pulumi run. */
export type ProcessRole = "engine" | "language host" | "program" | "provider host" | "other";

/** CPU seconds per role, and in total. */
export interface CpuByRole {
  /** Every descendant, exactly (children's CPU time as the kernel accounts it once they are waited for). */
  totalSeconds: number;
  /** Sampled per role. */
  byRole: Record<ProcessRole, number>;
}

const ticksPerSecond = 100;

/** Samples the CPU time of this process's descendants until `stop` is called. */
export class DescendantCpuSampler {
  private readonly lastTicks = new Map<number, { role: ProcessRole; ticks: number }>();
  private readonly startChildTicks = childTicks();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 200) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /** Stops sampling (after the command has ended) and returns the figures. */
  stop(): CpuByRole {
    clearInterval(this.timer);
    const byRole: Record<ProcessRole, number> = {
      engine: 0,
      "language host": 0,
      program: 0,
      "provider host": 0,
      other: 0,
    };
    for (const { role, ticks } of this.lastTicks.values()) byRole[role] += ticks / ticksPerSecond;
    return { totalSeconds: (childTicks() - this.startChildTicks) / ticksPerSecond, byRole };
  }

  private sample(): void {
    const parents = new Map<number, number>();
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      const stat = readProc(`/proc/${name}/stat`);
      if (stat === undefined) continue;
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    }
    for (const pid of parents.keys()) {
      if (!isDescendant(pid, parents)) continue;
      const stat = readProc(`/proc/${pid}/stat`);
      const ticks = stat === undefined ? undefined : parseCpuTicks(stat);
      if (ticks === undefined) continue;
      const known = this.lastTicks.get(pid);
      const role = known?.role ?? classify(readProc(`/proc/${pid}/cmdline`) ?? "");
      this.lastTicks.set(pid, { role, ticks });
    }
  }
}

/**
 * The role of a process from its command line (NUL-separated arguments). "provider host" is our provider on
 * either door: Pulumi's dynamic-provider host, or the `plume` plugin (Node running provider/native/main.ts
 * from a checkout or dist/provider/native/main.js from the tarball; its launcher script execs into it).
 */
export function classify(cmdline: string): ProcessRole {
  const args = cmdline.split("\0");
  if (
    args.some(
      (arg) =>
        arg.includes("cmd/dynamic-provider") ||
        arg.endsWith("pulumi-resource-pulumi-nodejs") ||
        /provider[/\\]native[/\\]main\.[jt]s$/.test(arg) ||
        arg.endsWith("pulumi-resource-plume"),
    )
  )
    return "provider host";
  if (args.some((arg) => /@pulumi[/\\]pulumi[/\\]cmd[/\\]run/.test(arg))) return "program";
  if (args.some((arg) => arg.endsWith("pulumi-language-nodejs"))) return "language host";
  if (/(^|\/)pulumi$/.test(args[0])) return "engine";
  return "other";
}

function isDescendant(pid: number, parents: Map<number, number>): boolean {
  for (let current = parents.get(pid); current !== undefined && current > 1; current = parents.get(current)) {
    if (current === process.pid) return true;
  }
  return false;
}

function childTicks(): number {
  const stat = readProc("/proc/self/stat") ?? "";
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[13]) + Number(fields[14]);
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
