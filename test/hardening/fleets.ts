/**
 * Fleet files for the runs of the hardening tests: the locations of {@link startCanarySimulator}'s customer,
 * written as the YAML an operator would commit.
 */
import * as fs from "node:fs";
import { CUSTOMER, locationId } from "./support";

/** The desired state of one seeded location. */
export interface DesiredLocation {
  /** Which seeded location (see `locationId`). */
  index: number;
  serviceId: string;
  profile: "auto" | "smallbusiness";
}

/** Writes `locations` as a YAML fleet file at `file` and returns the path. */
export function writeYamlFleet(file: string, locations: DesiredLocation[]): string {
  const lines = ["locations:"];
  for (const location of locations) {
    lines.push(
      `  - customerId: "${CUSTOMER}"`,
      `    locationId: "${locationId(location.index)}"`,
      `    serviceId: ${JSON.stringify(location.serviceId)}`,
      `    profile: ${location.profile}`,
    );
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}
