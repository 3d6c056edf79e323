/**
 * The end-to-end test engine: runs a Pulumi program as the Pulumi CLI would, without the CLI. How it
 * works and what it leaves out: docs/testing.md.
 */
export { runProgram, startRun, type EngineRun } from "./engine/run";
export type { RunMode, RunProgramOptions } from "./engine/options";
export type { Operation, RunResult, StepRecord } from "./engine/steps";
export type { EngineLogLine } from "./engine/resourceMonitor";
export {
  emptyState,
  readStateFile,
  writeStateFile,
  type ResourceState,
  type StackState,
} from "./engine/state";
export { EngineError } from "./engine/errors";
