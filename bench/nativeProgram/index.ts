// The root program's twin on the native door: the same fleet file through the same fleet loader, one
// `plume.LocationService` of the generated SDK (@pulumi-plume/plume) per location, served by the `plume`
// provider plugin. The real-CLI benchmark runs it with `--provider native`; its own tsconfig.json type-checks it
// against sdk/nodejs (`npm run typecheck`), which the repository's stricter settings would reject.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as plume from "@pulumi-plume/plume";
import { loadFleet } from "../../provider/fleet";
import { prepareFleetRegistration, registerFleet } from "../../provider/resource/fleetRegistration";

const root = pulumi.runtime.getRootDirectory();
const fleet = loadFleet(path.resolve(root, new pulumi.Config("fleet").get("file") ?? "fleet.yaml"));
// Prepared for a fleet and registered in batches, as program/index.ts does.
export = async () => {
  prepareFleetRegistration();
  await registerFleet(fleet.entries, (entry) => new plume.LocationService(entry.name, entry));
};
