// Peak resident memory of a process, as Linux records it in /proc/<pid>/status.
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
