// How much state a `file://` backend writes during a command: every save of the stack's checkpoint, counted
// as the file system reports it, with the file's size at that moment.
import { type FSWatcher, readFileSync, statSync, watch } from "node:fs";
import * as path from "node:path";
import { LOCATION_SERVICE_TOKEN } from "../provider/native/schema";

/** Checkpoint writes seen during one command. */
export interface CheckpointWrites {
  /** Saves of the stack's checkpoint file. */
  saves: number;
  /** Sum of the checkpoint's size at each save, in bytes (its `.bak` copy, written before each save, not counted). */
  bytes: number;
}

/** Watches `<backendDir>/.pulumi/stacks/<project>/<stack>.json` until `stop` is called. */
export class CheckpointWatcher {
  private readonly watcher: FSWatcher;
  private saves = 0;
  private bytes = 0;
  private lastSeen = { mtimeMs: -1, size: -1 };

  constructor(backendDir: string, project: string, stack: string) {
    const dir = path.join(backendDir, ".pulumi", "stacks", project);
    const file = path.join(dir, `${stack}.json`);
    this.watcher = watch(dir, (_event, name) => {
      if (name !== `${stack}.json`) return;
      try {
        const stat = statSync(file);
        // A save may raise more than one event (a rename, then a change); count each new version once.
        if (stat.mtimeMs === this.lastSeen.mtimeMs && stat.size === this.lastSeen.size) return;
        this.lastSeen = { mtimeMs: stat.mtimeMs, size: stat.size };
        this.saves += 1;
        this.bytes += stat.size;
      } catch {
        // Replaced between the event and the stat: the next event sees the new version.
      }
    });
  }

  /** Stops watching and returns the counts. */
  stop(): CheckpointWrites {
    this.watcher.close();
    return { saves: this.saves, bytes: this.bytes };
  }
}

/** The size of the stack's checkpoint now, in bytes (0 when there is none). */
export function checkpointBytes(backendDir: string, project: string, stack: string): number {
  try {
    return statSync(path.join(backendDir, ".pulumi", "stacks", project, `${stack}.json`)).size;
  } catch {
    return 0;
  }
}

/** What each location resource holds in the checkpoint, on average (its JSON, as the backend writes it compactly). */
export interface ResourceStateBytes {
  /** The whole resource entry. */
  total: number;
  /** Its two copies of `__provider` (inputs and outputs). */
  serializedProvider: number;
  /** Its `stackTrace` and `sourcePosition`. */
  registrationTrace: number;
}

/**
 * Averages the location resources of the stack's checkpoint: the dynamic door's (type ending in
 * `:PlumeLocationService`) or the native door's (`plume:index:LocationService`).
 */
export function resourceStateBytes(
  backendDir: string,
  project: string,
  stack: string,
): ResourceStateBytes | undefined {
  let checkpoint: { checkpoint?: { latest?: { resources?: Record<string, unknown>[] } } };
  try {
    checkpoint = JSON.parse(
      readFileSync(path.join(backendDir, ".pulumi", "stacks", project, `${stack}.json`), "utf8"),
    );
  } catch {
    return undefined;
  }
  const resources = (checkpoint.checkpoint?.latest?.resources ?? []).filter((resource) =>
    isLocationResourceType(String(resource.type)),
  );
  if (resources.length === 0) return undefined;
  const size = (value: unknown) => (value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value)));
  let total = 0;
  let serializedProvider = 0;
  let registrationTrace = 0;
  for (const resource of resources) {
    total += size(resource);
    for (const key of ["inputs", "outputs"]) {
      serializedProvider += size((resource[key] as Record<string, unknown> | undefined)?.__provider);
    }
    registrationTrace += size(resource.stackTrace) + size(resource.sourcePosition);
  }
  const average = (bytes: number) => Math.round(bytes / resources.length);
  return {
    total: average(total),
    serializedProvider: average(serializedProvider),
    registrationTrace: average(registrationTrace),
  };
}

/** Whether a checkpoint resource of `type` is a location, through either door. */
export function isLocationResourceType(type: string): boolean {
  return type.endsWith(":PlumeLocationService") || type === LOCATION_SERVICE_TOKEN;
}
