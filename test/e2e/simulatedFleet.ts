/**
 * The world of a scenario test: a simulator seeded with a fleet of locations (all on `auto`, no
 * serviceId), a fleet file in a scratch directory, and the stack config that points the root program at
 * both. Firewall windows are short and nothing is slowed down, so a scenario runs in seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

import { startSimulator, type RunningSimulator } from "../../simulator";
import assert from "node:assert/strict";
import { type StackRun, TestStack, type TestStackOptions } from "../support/pulumiStack";

/** One location as the fleet file declares it. */
export interface FleetEntry {
  customerId: string;
  locationId: string;
  serviceId: string;
  profile: "auto" | "smallbusiness";
}

/** A running simulated fleet; always `close()` it. */
export interface SimulatedFleet {
  sim: RunningSimulator;
  /** Every seeded location, with the settings a first fleet file gives it. */
  entries: FleetEntry[];
  /** Scratch directory of this fleet (fleet file, state). */
  workDir: string;
  /** Writes the fleet file the program reads. */
  writeFleet(entries: FleetEntry[]): void;
  /** The stack config that points the root program at this fleet file and the simulator. */
  config(): { config: Record<string, string>; secretConfig: Record<string, string> };
  /** A new stack of the root program (or `options.program`) with {@link config}, in a backend of its own. */
  createStack(options?: TestStackOptions): Promise<TestStack>;
  close(): Promise<void>;
}

/** Starts a simulator holding `customers` x `locationsPerCustomer` locations, all on `auto`. */
export async function startSimulatedFleet(size: {
  customers: number;
  locationsPerCustomer: number;
}): Promise<SimulatedFleet> {
  const sim = await startSimulator({ firewall: { limit: 100_000, windowMs: 1_000 } });
  const generated = sim.state.generate(size);
  const entries = generated.customers.flatMap((customer) =>
    customer.locationIds.map((locationId, index): FleetEntry => ({
      customerId: customer.id,
      locationId,
      serviceId: `SVC-${locationId}`,
      profile: index % 3 === 0 ? "smallbusiness" : "auto",
    })),
  );
  const workDir = mkdtempSync(join(tmpdir(), "plume-e2e-"));
  const fleetFile = join(workDir, "fleet.yaml");
  const credentials = sim.credentials;
  const config = () => ({
    config: {
      "fleet:file": fleetFile,
      "plume:apiUrl": sim.url,
      "plume:tokenUrl": sim.tokenUrl,
      "plume:clientId": credentials.clientId,
      "plume:partnerId": credentials.partnerId,
      "plume:maxRequestsPerSecond": "1000",
      "plume:windowLimit": "100000",
      "plume:windowMs": "1000",
    },
    secretConfig: { "plume:clientSecret": credentials.clientSecret },
  });
  return {
    sim,
    entries,
    workDir,
    writeFleet(fleet) {
      writeFileSync(fleetFile, stringify({ locations: fleet }));
    },
    config,
    createStack(options = {}) {
      const settings = config();
      return TestStack.create({
        ...options,
        config: { ...settings.config, ...options.config },
        secretConfig: { ...settings.secretConfig, ...options.secretConfig },
      });
    },
    async close() {
      await sim.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** The settings of every entry's location in the simulator that differ from the entry, as readable lines. */
export function divergences(sim: RunningSimulator, entries: FleetEntry[]): string[] {
  const problems: string[] = [];
  for (const entry of entries) {
    const location = sim.state.getLocation(entry.customerId, entry.locationId);
    if (location?.serviceId !== entry.serviceId || location?.profile !== entry.profile) {
      problems.push(
        `${entry.customerId}/${entry.locationId}: want ${entry.serviceId}/${entry.profile}, ` +
          `have ${location?.serviceId}/${location?.profile}`,
      );
    }
  }
  return problems;
}

/** The type token of PlumeLocationService resources. */
export const LOCATION_RESOURCE = "pulumi-nodejs:dynamic/plume:PlumeLocationService";

/** The URN of the PlumeLocationService `name` in a test stack (for --target, --exclude, --replace). */
export function locationUrn(name: string): string {
  return `urn:pulumi:test::pulumi-plume-fleet::${LOCATION_RESOURCE}::${name}`;
}

export function assertSucceeded(run: StackRun): void {
  assert.equal(run.ok, true, `the command failed:\n${run.error ?? ""}\n${run.stderr}`);
}

export async function managedLocations(stack: TestStack): Promise<string[]> {
  return (await stack.resources())
    .filter((resource) => resource.type === LOCATION_RESOURCE)
    .map((resource) => String(resource.id))
    .sort();
}

/** The PATCH bodies the simulator received since its counters were last reset, by location path. */
export function patchesSeen(fleet: SimulatedFleet): { path: string; body: unknown }[] {
  return fleet.sim
    .requestLog()
    .filter((entry) => entry.method === "PATCH")
    .map((entry) => ({ path: entry.path, body: entry.body }));
}
