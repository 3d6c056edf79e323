// The `fleet:shard` stack setting, as a fleet program reads it: the shard of the fleet this stack manages.
import * as pulumi from "@pulumi/pulumi";
import { type FleetShard, FleetShardError, parseFleetShard } from "../fleet";

/**
 * The shard that stack config `fleet:shard` (`<index>/<count>`, e.g. `3/8`) names, or undefined when it is
 * not set (the stack manages the whole fleet). A malformed value is a `pulumi.RunError` (shown without a stack
 * trace) naming the setting and saying what to write, so the program stops before it declares anything.
 */
export function configuredFleetShard(): FleetShard | undefined {
  const text = new pulumi.Config("fleet").get("shard");
  if (text === undefined) return undefined;
  try {
    return parseFleetShard(text);
  } catch (error) {
    if (error instanceof FleetShardError) throw new pulumi.RunError(`fleet:shard: ${error.message}`);
    throw error;
  }
}
