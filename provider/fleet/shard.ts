// Splitting a fleet across stacks by a stable rule: a customer's shard depends on its own id and the number
// of shards only, so adding or removing other customers never moves it, and all its locations stay together.
import { createHash } from "node:crypto";
import { FleetShardError, MAX_SHARD_COUNT } from "./fleetShardError";

/** One stack's part of a fleet: shard `index` (0-based) of `count`. */
export interface FleetShard {
  /** Which shard, from 0 to `count - 1`. */
  index: number;
  /** How many shards the fleet is split into, from 1 to {@link MAX_SHARD_COUNT}. */
  count: number;
}

const SHARD_HINT =
  'Write it as "<index>/<count>" with a 0-based index, e.g. "3/8" for the fourth of 8 stacks ' +
  "(pulumi config set fleet:shard 3/8).";

/**
 * The shard (0 to `count - 1`) of every location of customer `customerId`: the first four bytes of the
 * SHA-256 of its UTF-8 bytes, read as an unsigned big-endian integer, modulo `count`. The same on every
 * machine and in every version; it depends on nothing but `customerId` and `count`. Throws
 * {@link FleetShardError} when `count` is not a whole number from 1 to {@link MAX_SHARD_COUNT}.
 */
export function shardOf(customerId: string, count: number): number {
  checkCount(count, String(count));
  return createHash("sha256").update(customerId, "utf8").digest().readUInt32BE(0) % count;
}

/**
 * The entries of `shard`: those whose customer {@link shardOf} puts there, in their order. Every entry of
 * a fleet is in exactly one of its `count` shards. Throws {@link FleetShardError} on a bad index or count.
 */
export function selectShard<Entry extends { readonly customerId: string }>(
  entries: readonly Entry[],
  shard: FleetShard,
): Entry[] {
  checkShard(shard, formatFleetShard(shard));
  return entries.filter((entry) => shardOf(entry.customerId, shard.count) === shard.index);
}

/**
 * Reads a shard written `<index>/<count>` (`fleet:shard`, e.g. `3/8`: the fourth of 8, the index 0-based).
 * Throws {@link FleetShardError}, saying what to write, on anything else.
 */
export function parseFleetShard(text: string): FleetShard {
  const match = /^\s*(\d{1,6})\s*\/\s*(\d{1,6})\s*$/.exec(text);
  if (match === null) throw new FleetShardError(text, "not <index>/<count>", SHARD_HINT);
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  checkShard(shard, text.trim());
  return shard;
}

/** `index/count`, as {@link parseFleetShard} reads it and the root program's summary shows it. */
export function formatFleetShard(shard: FleetShard): string {
  return `${shard.index}/${shard.count}`;
}

function checkCount(count: number, value: string): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARD_COUNT) {
    throw new FleetShardError(
      value,
      `the count must be a whole number from 1 to ${MAX_SHARD_COUNT.toLocaleString("en-US")}`,
      SHARD_HINT,
    );
  }
}

function checkShard(shard: FleetShard, value: string): void {
  checkCount(shard.count, value);
  if (!Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new FleetShardError(
      value,
      `the index must be from 0 to ${shard.count - 1} (it is 0-based: "0/${shard.count}" is the first of ` +
        `${shard.count}, "${shard.count - 1}/${shard.count}" the last)`,
      SHARD_HINT,
    );
  }
}
