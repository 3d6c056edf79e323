// The fleet in Git: fleet.yaml is the desired state, reviewed in pull requests and applied from main. Each
// stack manages one shard of it, named by its `fleet:shard` setting (`0/4` … `3/4`, see README.md).
import * as path from "node:path";
import {
  PlumeLocationService,
  configuredFleetShard,
  formatFleetShard,
  loadFleet,
  prepareFleetRegistration,
  registerFleet,
  selectShard,
  summarizeFleet,
} from "pulumi-plume";

const fleet = loadFleet(path.join(__dirname, "fleet.yaml"), { fileName: "fleet.yaml" });

// The shard `fleet:shard` names (Pulumi.fleet-0N.yaml); none: the whole fleet, in one stack.
const shard = configuredFleetShard();
const entries = shard === undefined ? fleet.entries : selectShard(fleet.entries, shard);

// Pulumi runs an exported function and waits for it; what it returns are the stack's outputs.
export = async () => {
  // No stack traces nor the SDK's own debug lines per registration from here on: about two thirds of the
  // program's CPU on a big fleet (pulumi-plume's docs/performance.md). Delete to debug code added below.
  prepareFleetRegistration();
  // A hundred at a time, so Pulumi starts on the first while the rest are built.
  // An entry carries the four inputs (customerId, locationId, serviceId, profile); nothing else of it is read.
  await registerFleet(entries, (entry) => new PlumeLocationService(entry.name, entry));
  return {
    summary: {
      ...(shard === undefined ? {} : { shard: formatFleetShard(shard) }),
      ...summarizeFleet(entries),
    },
  };
};
