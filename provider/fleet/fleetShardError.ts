import { quoteForMessage } from "../client/quote";

/**
 * Thrown when a shard of a fleet is named wrongly: a count that is not a whole number from 1 to
 * {@link MAX_SHARD_COUNT}, an index outside `0 … count - 1`, or a `fleet:shard` value not written
 * `<index>/<count>`.
 */
export class FleetShardError extends Error {
  override readonly name = "FleetShardError";
  /** The value as it was given (a setting's text, or the index and count joined by `/`). */
  readonly value: string;
  /** What to write instead. */
  readonly hint: string;

  constructor(value: string, problem: string, hint: string) {
    super(`Invalid shard ${quoteForMessage(value)}: ${problem}. ${hint}`);
    this.value = value;
    this.hint = hint;
  }
}

/** The largest number of shards a fleet can be split into. */
export const MAX_SHARD_COUNT = 10_000;
