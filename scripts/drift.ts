// `npm run drift`: edits a few locations in the simulator behind Pulumi's back, as someone using Plume's
// portal would, so `npm run refresh` and `npm run up` can show drift being detected and fixed.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { type FleetEntry, loadFleet } from "../provider/fleet";
import { startSimulator } from "../simulator";
import { DEV_STACK, fleetFileOfStack, simulatorStateFile } from "./devStack";

/** Options of {@link runDrift}. */
export interface DriftOptions {
  /** The Pulumi project. @default the repository root */
  projectRoot?: string;
  /** Where progress lines go. @default console.log */
  log?: (line: string) => void;
  /** Where the error lines go. @default console.error */
  logError?: (line: string) => void;
}

/** One change `npm run drift` made. */
export interface DriftChange {
  entry: FleetEntry;
  field: "serviceId" | "profile";
  from: string;
  to: string;
}

/**
 * Changes three locations of the fleet in the simulator's state file: one WorkPass location back to
 * HomePass, one HomePass location to WorkPass, and one serviceId. Prints what changed and what to run next.
 * Resolves to the exit code (1 when there is no simulator state yet).
 */
export async function runDrift(options: DriftOptions = {}): Promise<number> {
  const projectRoot = options.projectRoot ?? join(__dirname, "..");
  const log = options.log ?? ((line: string) => console.log(line));
  const logError = options.logError ?? ((line: string) => console.error(line));

  const stateFile = simulatorStateFile(projectRoot);
  if (!existsSync(stateFile)) {
    logError(
      `There is no simulator state yet (${relative(projectRoot, stateFile)}). Run \`npm run up\` first.`,
    );
    return 1;
  }
  let entries: FleetEntry[];
  try {
    const fleetFile = fleetFileOfStack(projectRoot, DEV_STACK);
    entries = loadFleet(fleetFile, { fileName: relative(projectRoot, fleetFile) }).entries;
  } catch (error) {
    logError((error as Error).message);
    return 1;
  }

  const simulator = await startSimulator({ port: 0, persistFile: stateFile });
  const changes: DriftChange[] = [];
  try {
    // Only locations that are as `npm run up` left them: drifting one that already differs from the fleet
    // file (a second `npm run drift`, or a location never converged) would change nothing, or not what it says.
    const present = entries.filter((entry) => {
      const location = simulator.state.getLocation(entry.customerId, entry.locationId);
      return (
        location !== undefined &&
        location.serviceId === entry.serviceId &&
        (location.profile ?? "auto") === entry.profile
      );
    });
    const unused = (entry: FleetEntry) => !changes.some((change) => change.entry === entry);
    const plan: Array<[FleetEntry | undefined, "serviceId" | "profile", (from: string) => string]> = [];
    plan.push([present.find((entry) => entry.profile === "smallbusiness"), "profile", () => "auto"]);
    plan.push([present.find((entry) => entry.profile === "auto"), "profile", () => "smallbusiness"]);
    for (const [entry, field, change] of plan) {
      if (entry === undefined) continue;
      changes.push({ entry, field, from: entry[field], to: change(entry[field]) });
    }
    const renamed = present.find(unused);
    if (renamed !== undefined) {
      changes.push({
        entry: renamed,
        field: "serviceId",
        from: renamed.serviceId,
        to: `${renamed.serviceId}-EDITED`,
      });
    }
    for (const change of changes) {
      simulator.state.driftLocation(change.entry.customerId, change.entry.locationId, {
        [change.field]: change.to,
      });
    }
  } finally {
    await simulator.close();
  }

  if (changes.length === 0) {
    logError(
      "None of the fleet's locations are in the simulator as `npm run up` leaves them (not converged yet, or " +
        "drifted already). Run `npm run up` first.",
    );
    return 1;
  }
  log(
    `Changed ${changes.length} locations in the simulator behind Pulumi's back (${relative(projectRoot, stateFile)}):`,
  );
  for (const change of changes) {
    log(
      `  ${change.entry.name}  ${change.field}: ${change.from} -> ${change.to}  (fleet file line ${change.entry.line})`,
    );
  }
  log("");
  log("Next:");
  log("  npm run preview -- --refresh   shows the drift, changes nothing");
  log("  npm run up -- --refresh        detects the drift and puts the fleet back in one go");
  log("  (or npm run refresh to record the drift in Pulumi's state, then npm run up to fix it)");
  return 0;
}
