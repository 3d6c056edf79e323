import { PlumeAuthError, PlumeForbiddenError, type PlumeClient, type PlumeError } from "../client";
import { InterruptedError } from "./cliError";
import type { CliIo } from "./io";
import { ProgressReporter } from "./progress";

/**
 * A location as `plume-fleet` keeps it: the fields it compares and writes, nothing else. Plume's location
 * objects hold Wi-Fi keys and PPPoE passwords; they are cut down to this as soon as they arrive.
 */
export interface ListedLocation {
  id: string;
  serviceId?: string;
  profile?: string;
}

/** What reading one customer's locations gave: its locations, or why Plume would not list them. */
export type CustomerListing =
  { customerId: string; locations: ListedLocation[] } | { customerId: string; error: PlumeError };

/**
 * Reads the locations of every customer with `listLocations`, one call per customer, through `client` (its
 * rate limit, retries and token renewal), at most `concurrency` at a time, in the order given. A customer
 * these credentials may not see (401, LoopBack 403) is recorded and the rest go on; any other failure
 * (network, firewall exhausted, a host that is not Plume) stops the run and is thrown. Ctrl-C (`signal`)
 * stops it at once with an {@link InterruptedError}; only GETs are in flight, so nothing is left half-done.
 */
async function readCustomers(
  client: PlumeClient,
  customerIds: readonly string[],
  options: { concurrency: number; signal: AbortSignal; progress: ProgressReporter },
): Promise<CustomerListing[]> {
  const { signal, progress } = options;
  const listings: CustomerListing[] = new Array(customerIds.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < customerIds.length && !signal.aborted) {
      const index = next++;
      try {
        listings[index] = await readOne(client, customerIds[index]);
      } catch (error) {
        next = customerIds.length; // the other workers take no new customer
        throw error;
      }
      progress.advance();
    }
  };
  const workers = Array.from(
    { length: Math.max(1, Math.min(options.concurrency, customerIds.length)) },
    worker,
  );
  await Promise.race([Promise.all(workers), rejectWhenAborted(signal)]);
  if (signal.aborted) throw new InterruptedError();
  return listings;
}

/**
 * `readCustomers` as `export` and `plan` run it: as many at a time as the client's `maxConcurrency`, stopped by
 * Ctrl-C, with a progress line on stderr labelled `label` (none when `quiet`, for `--json`).
 */
export function readCustomersShowingProgress(
  client: PlumeClient,
  customerIds: readonly string[],
  io: Pick<CliIo, "stderr" | "now" | "signal">,
  options: { label: string; quiet: boolean },
): Promise<CustomerListing[]> {
  const progress = new ProgressReporter({
    label: options.label,
    unit: "customers",
    total: customerIds.length,
    stream: io.stderr,
    now: io.now,
    enabled: !options.quiet,
  });
  return progress.track(
    readCustomers(client, customerIds, {
      concurrency: client.options.maxConcurrency,
      signal: io.signal,
      progress,
    }),
  );
}

async function readOne(client: PlumeClient, customerId: string): Promise<CustomerListing> {
  try {
    const locations = await client.listLocations(customerId);
    return {
      customerId,
      locations: locations.map((location) => ({
        id: location.id,
        serviceId: location.serviceId,
        profile: location.profile,
      })),
    };
  } catch (error) {
    if (error instanceof PlumeAuthError || error instanceof PlumeForbiddenError) return { customerId, error };
    throw error;
  }
}

function rejectWhenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(new InterruptedError());
    signal.addEventListener("abort", () => reject(new InterruptedError()), { once: true });
  });
}
