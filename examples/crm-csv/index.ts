// A fleet straight from a CRM export: one PlumeLocationService per row of the CSV file.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  PlumeLocationService,
  loadFleet,
  prepareFleetRegistration,
  registerFleet,
  summarizeFleet,
} from "pulumi-plume";

// Relative to this project (an absolute path works too).
const csvFile = new pulumi.Config().get("csvFile") ?? "customers.csv";

// Validates the whole file first: one error lists every bad row (file:line column: problem), and then
// nothing at all is declared, so a broken export can never half-apply.
const fleet = loadFleet(path.resolve(__dirname, csvFile), { fileName: csvFile });

// Pulumi runs an exported function and waits for it; what it returns are the stack's outputs.
export = async () => {
  // No stack traces nor the SDK's own debug lines per registration from here on: about two thirds of the
  // program's CPU on a big fleet (pulumi-plume's docs/performance.md). Delete to debug code added below.
  prepareFleetRegistration();
  // A hundred at a time, so Pulumi starts on the first while the rest are built.
  // An entry carries the four inputs (customerId, locationId, serviceId, profile); nothing else of it is read.
  await registerFleet(fleet.entries, (entry) => new PlumeLocationService(entry.name, entry));
  return { summary: summarizeFleet(fleet.entries) };
};
