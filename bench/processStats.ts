// The CPU time a process has used, as Linux records it in /proc/<pid>/stat. (Peak resident memory comes
// from the provider host driver, `ProviderHost.peakRssBytes()`.)
import { readFileSync } from "node:fs";

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
