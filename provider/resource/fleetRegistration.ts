// What a program that registers a whole fleet can switch off in Pulumi's Node.js SDK without changing what it
// registers. Measured in docs/performance.md: together about two thirds of the program's CPU and a third of a
// no-op preview's wall time.
import * as pulumi from "@pulumi/pulumi";

/** The SDK's own debug lines for each registration (runtime/resource.js), one gRPC call to the engine each. */
const REGISTRATION_DEBUG_LINE = /^(?:Registering resource: |RegisterResource RPC (?:prepared|finished): )/;

/** Marks the debug function this module installed, so a second call does not wrap it again. */
const QUIETED = Symbol("pulumi-plume: registration debug lines dropped");

type DebugLog = typeof pulumi.log.debug;

/**
 * Call once, after the program has read and checked its inputs and before it registers the fleet. For each
 * resource, Pulumi's Node.js SDK (3.248) does two things nobody reads in a normal run:
 * - it records a stack trace (`new Error().stack`, run through source maps) for every promise it tracks,
 *   several per resource: `Error.stackTraceLimit = 0` leaves them empty (the SDK still lifts the limit for
 *   the registration's own trace). An error thrown afterwards keeps its message but shows no frames;
 * - it sends three debug lines per registration to the engine, each a gRPC call, shown only by
 *   `pulumi --debug`: those three are dropped. Every other debug line, the program's own included, goes on.
 *
 * Delete the call to see where an error was thrown, or the SDK's registration lines under `--debug`.
 */
export function prepareFleetRegistration(): void {
  Error.stackTraceLimit = 0;
  // The SDK calls `log.debug` through its module object, so the property replaced here is the one it uses.
  const log = pulumi.log as unknown as { debug: DebugLog & { [QUIETED]?: true } };
  if (log.debug[QUIETED]) return;
  const sdkDebug = log.debug;
  const quieted: DebugLog = (message, resource, streamId, ephemeral) =>
    REGISTRATION_DEBUG_LINE.test(message)
      ? Promise.resolve()
      : sdkDebug(message, resource, streamId, ephemeral);
  log.debug = Object.assign(quieted, { [QUIETED]: true as const });
}
