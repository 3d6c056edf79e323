// The root Pulumi program: one PlumeLocationService per location of the fleet file. All logic (formats,
// validation, naming) lives in the fleet loader; this file only wires it to Pulumi.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PlumeLocationService } from "../provider";
import { FleetFileError, FleetValidationError, loadFleet, summarizeFleet } from "../provider/fleet";

// `pulumi config set fleet:file fleets/eu.csv`; relative paths start at the project root (Pulumi.yaml). The
// SDK reports a placeholder, not a path, when the CLI did not say (mocks, older CLIs): then this repository.
const reportedRoot = pulumi.runtime.getRootDirectory();
const projectRoot = path.isAbsolute(reportedRoot) ? reportedRoot : path.join(__dirname, "..");
const configuredFile = new pulumi.Config("fleet").get("file") ?? "fleet.yaml";
const fleetFile = path.resolve(projectRoot, configuredFile);

function loadDesiredFleet() {
  try {
    return loadFleet(fleetFile, { fileName: path.relative(projectRoot, fleetFile) });
  } catch (error) {
    // A RunError is shown without a stack trace: the message already says what to fix and where.
    if (error instanceof FleetValidationError || error instanceof FleetFileError)
      throw new pulumi.RunError(error.message);
    throw error;
  }
}

const fleet = loadDesiredFleet();
// The engine keeps each resource's registration stack trace in state. Registered from a microtask, that trace
// ends at this file instead of running on through Node's module loader and Pulumi's runner: about 400 bytes
// less per location (docs/performance.md). Pulumi waits for the registrations either way.
void Promise.resolve().then(() => {
  for (const entry of fleet.entries) {
    new PlumeLocationService(entry.name, {
      customerId: entry.customerId,
      locationId: entry.locationId,
      serviceId: entry.serviceId,
      profile: entry.profile,
    });
  }
});

/** What the fleet declares: `{ file, total, customers, byProfile: { auto, smallbusiness } }`. */
export const summary = { file: configuredFile, ...summarizeFleet(fleet.entries) };
