// The same-location guard.
//
// When a resource is renamed, or a fleet entry moves to another key, the engine creates the new resource and
// deletes the old one at the end of the deployment. Both point at the same Plume location, and one provider
// process serves every dynamic resource of a deployment. Without a guard, the old resource's delete would put
// the location back on HomePass right after the new resource set it up.
//
// The guard is a process-wide registry, that is one per deployment, of the locations that
// - a resource of this deployment declares: `check` sees every declared resource, changed or not, before any
//   delete of a resource that left the program. This also covers a rename whose deployment crashed after the
//   create: on the next run the new name is unchanged (check and diff, no write), yet the old name's delete
//   must still leave the location alone;
// - a create or update wrote (or is writing), should a write ever come without a check.
// A delete of such a location leaves it alone: something that is still declared owns it now.

/**
 * Records which locations this deployment declares or writes, so a delete of the same location does not
 * undo them. One instance per process ({@link locationGuard}); keys are `<customerId>/<locationId>`.
 */
export class LocationGuard {
  private readonly declared = new Set<string>();
  private readonly writes = new Map<string, number>();

  /** Remembers that a resource of this deployment declares `location` (called by a successful check). */
  recordDeclared(location: string): void {
    this.declared.add(location);
  }

  /**
   * Runs `write` (a create or update of `location`) and remembers the location. The location counts as
   * written from the moment the write starts, so a delete running concurrently also leaves it alone; a write
   * that fails is forgotten again.
   */
  async recordWrite<T>(location: string, write: () => Promise<T>): Promise<T> {
    this.writes.set(location, (this.writes.get(location) ?? 0) + 1);
    try {
      return await write();
    } catch (error) {
      const remaining = (this.writes.get(location) ?? 1) - 1;
      if (remaining === 0) this.writes.delete(location);
      else this.writes.set(location, remaining);
      throw error;
    }
  }

  /** Whether a resource of this deployment declares or wrote `location`: a delete must leave it alone. */
  isClaimedInThisDeployment(location: string): boolean {
    return this.declared.has(location) || this.writes.has(location);
  }

  /** Forgets every location (for tests that reuse one process). */
  clear(): void {
    this.declared.clear();
    this.writes.clear();
  }
}

/** The process-wide guard shared by every resource the provider process serves. */
export const locationGuard = new LocationGuard();
