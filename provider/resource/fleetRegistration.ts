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

/** Options of {@link registerFleet}. */
export interface RegisterFleetOptions {
  /** Resources registered between two turns of the event loop. @default 100 */
  batchSize?: number;
}

/**
 * Registers one resource per entry, `batchSize` at a time, letting the event loop turn between batches: the
 * SDK sends a registration to the engine only once the code that created it yields, so a program that builds
 * 10,000 resources in one loop keeps the engine (and, through it, the provider's start and the first calls to
 * Plume) waiting until the last one is built. In batches the engine works on the first while the program
 * builds the rest. Each batch runs from its own turn of the event loop (not from an `await`, whose async
 * frames would follow), so the stack trace the SDK takes for each registration, and the engine keeps in
 * state, is `register` and this function. Resolves once every resource is constructed, rejects with the
 * first error `register` throws; Pulumi itself waits for the registrations.
 */
export function registerFleet<Entry>(
  entries: Iterable<Entry>,
  register: (entry: Entry) => unknown,
  options: RegisterFleetOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    return Promise.reject(
      new RangeError(`registerFleet: batchSize must be a whole number of at least 1, got ${batchSize}`),
    );
  }
  const iterator = entries[Symbol.iterator]();
  return new Promise<void>((resolve, reject) => {
    const registerBatch = (): void => {
      try {
        for (let registered = 0; registered < batchSize; registered += 1) {
          const next = iterator.next();
          if (next.done === true) {
            resolve();
            return;
          }
          register(next.value);
        }
        setImmediate(registerBatch);
      } catch (error) {
        reject(error);
      }
    };
    setImmediate(registerBatch);
  });
}
