// What Linux records about a process in /proc/<pid>: its peak resident memory and the CPU time it used.
import { readFileSync } from "node:fs";

/**
 * Reads the `VmHWM` line ("high water mark" of resident memory) of a /proc status text, in bytes;
 * `undefined` when the line is missing (not Linux, or a kernel thread).
 */
export function parsePeakRssBytes(statusText: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(statusText);
  return match ? Number(match[1]) * 1024 : undefined;
}

/**
 * The peak resident memory of a live process, in bytes, read from `/proc/<pid>/status`. Read it before
 * the process exits: the figure goes with it. `undefined` where /proc is unavailable.
 */
export function readPeakRssBytes(pid: number): number | undefined {
  try {
    return parsePeakRssBytes(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * Reads the user plus system CPU time of a /proc `stat` text, in clock ticks (fields 14 and 15, counted
 * after the command name, which may itself hold spaces and parentheses).
 */
export function parseCpuTicks(statText: string): number | undefined {
  const fields = statText.slice(statText.lastIndexOf(")") + 2).split(" ");
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  return Number.isFinite(user) && Number.isFinite(system) ? user + system : undefined;
}

/** Clock ticks per second of /proc figures; 100 on every common Linux build. */
const ticksPerSecond = 100;

/** CPU seconds a live process has used so far, from `/proc/<pid>/stat`; `undefined` where unavailable. */
export function readCpuSeconds(pid: number): number | undefined {
  try {
    const ticks = parseCpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
    return ticks === undefined ? undefined : ticks / ticksPerSecond;
  } catch {
    return undefined;
  }
}
