// The root Pulumi program: one PlumeLocationService per location of the fleet file. All logic (formats,
// validation, naming) lives in the fleet loader; this file only wires it to Pulumi.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  PlumeLocationService,
  configuredFleetShard,
  prepareFleetRegistration,
  registerFleet,
} from "../provider";
import {
  FleetFileError,
  FleetValidationError,
  formatFleetShard,
  loadFleet,
  selectShard,
  summarizeFleet,
} from "../provider/fleet";

// `pulumi config set fleet:file fleets/eu.csv`; relative paths start at the project root (Pulumi.yaml). The
// SDK reports a placeholder, not a path, when the CLI did not say (mocks, older CLIs): then this repository.
const reportedRoot = pulumi.runtime.getRootDirectory();
const projectRoot = path.isAbsolute(reportedRoot) ? reportedRoot : path.join(__dirname, "..");
const fleetConfig = new pulumi.Config("fleet");
const configuredFile = fleetConfig.get("file") ?? "fleet.yaml";
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

// `pulumi config set fleet:shard 3/8`: this stack manages only the fourth of 8 shards of the fleet, the
// customers `shardOf` puts there (docs/fleet.md, "Sharding a fleet across stacks"). Unset: the whole fleet.
const shard = configuredFleetShard();
const fleet = loadDesiredFleet();
const entries = shard === undefined ? fleet.entries : selectShard(fleet.entries, shard);
/**
 * What this stack declares: `{ file, total, customers, byProfile: { auto, smallbusiness } }`, and
 * `shard: "3/8"` when `fleet:shard` is set (the counts are then the shard's).
 */
const summary = {
  file: configuredFile,
  ...(shard === undefined ? {} : { shard: formatFleetShard(shard) }),
  ...summarizeFleet(entries),
};

// Pulumi runs an exported function and waits for it; what it returns are the stack's outputs.
export = async () => {
  // From here on no stack traces and none of the SDK's own debug lines per registration: about two thirds of
  // this process's CPU on a big fleet (docs/performance.md). The fleet was checked above; delete this line to
  // see where an error in code you add below was thrown.
  prepareFleetRegistration();
  // A hundred at a time, so the engine starts the provider and its first calls while the rest are built.
  // An entry carries the four inputs (customerId, locationId, serviceId, profile); nothing else of it is read.
  await registerFleet(entries, (entry) => new PlumeLocationService(entry.name, entry));
  return { summary };
};
