/**
 * The checkpoint the test engine keeps between runs: one entry per resource, in the order the engine
 * would write them (creation order), with inputs and outputs exactly as the engine stores them,
 * `__provider` included. A plain JSON object, so tests can inspect it, corrupt it, or keep it in a file.
 */
import { readFile, writeFile } from "node:fs/promises";

/** One resource of the checkpoint. */
export interface ResourceState {
  urn: string;
  type: string;
  /** True for provider-backed resources; false for components and the stack. */
  custom: boolean;
  /** The provider's id for a custom resource. */
  id?: string;
  parent?: string;
  /** Provider reference (`urn::id`) for a custom resource, as the engine records it. */
  provider?: string;
  /** The checked inputs, as returned by the provider's `check`. */
  inputs: Record<string, unknown>;
  /** The outputs the provider returned from create, update or read. */
  outputs: Record<string, unknown>;
  dependencies: string[];
  /** The `deleteBeforeReplace` option of the last registration. */
  deleteBeforeReplace?: boolean;
  protect?: boolean;
  retainOnDelete?: boolean;
  /** The old half of a create-before-delete replacement whose delete has not succeeded yet. */
  pendingDelete?: boolean;
}

/** The checkpoint of one stack. */
export interface StackState {
  version: 1;
  resources: ResourceState[];
}

/** A checkpoint with no resources: a stack that was never deployed, or was destroyed. */
export function emptyState(): StackState {
  return { version: 1, resources: [] };
}

/** A deep copy, so a run never mutates the state it was handed. */
export function cloneState(state: StackState): StackState {
  return structuredClone(state);
}

/** Reads a checkpoint written by {@link writeStateFile}; a missing file is an empty stack. */
export async function readStateFile(path: string): Promise<StackState> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as StackState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return emptyState();
    }
    throw error;
  }
}

/** Writes a checkpoint as indented JSON. */
export async function writeStateFile(path: string, state: StackState): Promise<void> {
  await writeFile(path, `${JSON.stringify(state, null, 2)}\n`);
}
