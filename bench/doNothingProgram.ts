// The floor the real-CLI benchmark compares against: the root program's fleet, loaded the same way and
// registered as the same resources (the same inputs, the same two read-only outputs declared), through a
// dynamic provider that calls nothing: it stores its inputs and a fixed location name and creation time, so
// its state has the shape of ours. What a no-op run costs with it is what Pulumi costs by itself for these
// resources; the rest of a no-op run with the real provider is ours (program and provider).
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type FleetEntry, loadFleet } from "../provider/fleet";
import { prepareFleetRegistration, registerFleet } from "../provider/resource/fleetRegistration";

// Registered as PlumeLocationService is (provider/resource/plumeLocationService.ts): a dynamic resource whose
// `__provider` (stored twice per resource) is one line of module text rather than the closure serializer's
// output. Two methods only: without `check`, `read` and `delete` the host passes the inputs through, returns
// the stored properties and deletes nothing.
const DO_NOTHING_SOURCE =
  "exports.handler = () => ({ create: async (i) => ({ id: i.customerId + '/' + i.locationId, outs: { ...i, " +
  "locationName: 'Bench home', createdAt: '2026-01-01T00:00:00.000Z' } }), diff: async () => ({ changes: false }) });\n";

class DoNothingLocation extends pulumi.CustomResource {
  constructor({ name, customerId, locationId, serviceId, profile }: FleetEntry) {
    super("pulumi-nodejs:dynamic/plume:PlumeLocationService", name, {
      __provider: DO_NOTHING_SOURCE,
      customerId,
      locationId,
      serviceId,
      profile,
      locationName: undefined,
      createdAt: undefined,
    });
  }
}

const root = pulumi.runtime.getRootDirectory();
const fleetFile = path.resolve(root, new pulumi.Config("fleet").get("file") ?? "fleet.yaml");
// Prepared and registered as program/index.ts does: the floor is the same program with a provider that does
// nothing.
const entries = loadFleet(fleetFile).entries;
export = async () => {
  prepareFleetRegistration();
  await registerFleet(entries, (entry) => new DoNothingLocation(entry));
};
