// The same-location guard.
//
// When a resource is renamed, or a fleet entry moves to another key, the engine creates the new resource and
// deletes the old one at the end of the deployment. Both point at the same Plume location, and one provider
// process serves every dynamic resource of a deployment. Without a guard, the old resource's delete would put
// the location back on HomePass right after the new resource set it up.
//
// The guard is a process-wide registry of the locations that a create or update wrote (or is writing) in this
// provider process, that is in this deployment. A delete of such a location leaves it alone: something that is
// still declared owns it now.

/** The guard's view of one location. */
interface LocationWrites {
  /** Writes that have started and not failed. */
  count: number;
}

/**
 * Records which locations this process has written, so a later delete of the same location does not undo
 * them. One instance per process ({@link locationGuard}); keys are `<customerId>/<locationId>`.
 */
export class LocationGuard {
  private readonly writes = new Map<string, LocationWrites>();

  /**
   * Runs `write` (a create or update of `location`) and remembers the location. The location counts as
   * written from the moment the write starts, so a delete running concurrently also leaves it alone; a write
   * that fails is forgotten again.
   */
  async recordWrite<T>(location: string, write: () => Promise<T>): Promise<T> {
    const entry = this.writes.get(location) ?? { count: 0 };
    entry.count += 1;
    this.writes.set(location, entry);
    try {
      return await write();
    } catch (error) {
      entry.count -= 1;
      if (entry.count === 0) this.writes.delete(location);
      throw error;
    }
  }

  /** Whether a create or update of `location` ran (or is running) in this process. */
  wasWrittenInThisDeployment(location: string): boolean {
    return this.writes.has(location);
  }

  /** Forgets every location (for tests that reuse one process). */
  clear(): void {
    this.writes.clear();
  }
}

/** The process-wide guard shared by every resource the provider process serves. */
export const locationGuard = new LocationGuard();
