/** The record of what a run did (or, in preview, would do) to each resource, and its summary. */
import type { RunMode } from "./options";
import type { EngineLogLine } from "./resourceMonitor";
import type { StackState } from "./state";

/**
 * What happened to one resource. `read` is a refresh; the others are the engine's step kinds, a
 * replacement counting as one `replace` (its create and its delete are not listed separately).
 */
export type Operation = "create" | "update" | "same" | "replace" | "delete" | "read";

/** One resource step. */
export interface StepRecord {
  op: Operation;
  urn: string;
  name: string;
  type: string;
  /** The provider's id after the step (before it, for a delete). */
  id?: string;
  /**
   * Top-level properties that differ: new inputs against old inputs for an update or replace, new
   * outputs against old outputs for a read (the drift a refresh found).
   */
  changedKeys: string[];
  /** For a read: true when the resource no longer exists and was dropped from the state. */
  gone?: boolean;
  /** Why the step failed; the step's effect is then absent from the state. */
  error?: string;
}

/** What a run returns. It never throws for a failed deployment: failures are in `errors`. */
export interface RunResult {
  mode: RunMode;
  /** True when the program and every step succeeded. */
  ok: boolean;
  steps: StepRecord[];
  /** How many steps of each kind succeeded. */
  counts: Record<Operation, number>;
  /** The stack outputs the program registered (unknowns in preview are the sentinel string). */
  outputs: Record<string, unknown>;
  /** Log lines at info level and above, from the program (via the SDK) and from the provider host. */
  logs: EngineLogLine[];
  /** What the program printed. */
  stdout: string;
  stderr: string;
  /** The program's exit code, or the signal that ended it; undefined when no program ran. */
  exitCode?: number | string;
  /** Every failure: failed steps, a failed program, a timeout. */
  errors: string[];
  /** The checkpoint after the run (unchanged by a preview). */
  state: StackState;
  durationMs: number;
}

/** Counts the successful steps of each kind. */
export function countOperations(steps: StepRecord[]): Record<Operation, number> {
  const counts: Record<Operation, number> = { create: 0, update: 0, same: 0, replace: 0, delete: 0, read: 0 };
  for (const step of steps) {
    if (!step.error) {
      counts[step.op] += 1;
    }
  }
  return counts;
}

/** The top-level keys whose values differ between two property maps (`__provider` included). */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}
