/**
 * The world of a scenario test: a simulator seeded with a fleet of locations (all on `auto`, no
 * serviceId), a fleet file in a scratch directory, and the stack config that points the root program at
 * both. Firewall windows are short and nothing is slowed down, so a scenario runs in seconds.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { stringify } from "yaml";

import { startSimulator, type RunningSimulator } from "../../simulator";
import type { RunProgramOptions } from "../support/engine";

/** The repository root: the Pulumi project the scenarios run. */
export const projectDir = resolve(__dirname, "..", "..");

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
  /** Options for the test engine: the root project, this fleet file and the simulator's settings. */
  runOptions(overrides?: Partial<RunProgramOptions>): RunProgramOptions;
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
  return {
    sim,
    entries,
    workDir,
    writeFleet(fleet) {
      writeFileSync(fleetFile, stringify({ locations: fleet }));
    },
    runOptions(overrides = {}) {
      return {
        projectDir,
        config: {
          "fleet:file": fleetFile,
          "plume:apiUrl": sim.url,
          "plume:tokenUrl": sim.tokenUrl,
          "plume:clientId": credentials.clientId,
          "plume:clientSecret": credentials.clientSecret,
          "plume:partnerId": credentials.partnerId,
          "plume:maxRequestsPerSecond": "1000",
          "plume:windowLimit": "100000",
          "plume:windowMs": "1000",
        },
        secretConfigKeys: ["plume:clientSecret"],
        ...overrides,
      };
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
