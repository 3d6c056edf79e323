// Shared set-up of the host-driven resource tests: a seeded simulator with canary secrets, and hosts
// configured the way a stack would configure them.
import assert from "node:assert/strict";
import type { RunningSimulator, SimulatorOptions } from "../../simulator";
import {
  CANARY,
  oauthStackConfig,
  startCanarySimulator,
  startConfiguredHost as startHost,
} from "../support/canaryStack";
import {
  registrationProps,
  type PropertyMap,
  type ProviderHost,
  type ProviderHostOptions,
} from "../../support/providerHost";

export { CANARY, checkAndCreate } from "../support/canaryStack";

/** The customer every test location belongs to. */
export const CUSTOMER = "5f0000000000000000000c01";

/** A location id of the seeded customer: `location(3)` -> "5f00000000000000000a0003". */
export function location(index: number): string {
  return `5f00000000000000000a${String(index).padStart(4, "0")}`;
}

/** How many locations the seeded customer has. */
export const LOCATION_COUNT = 40;

/** Starts a simulator whose credentials and locations (`location(1)` to `location(40)`) carry the canaries. */
export async function startSeededSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startCanarySimulator(
    {
      customerId: CUSTOMER,
      locationIds: Array.from({ length: LOCATION_COUNT }, (_, index) => location(index + 1)),
    },
    options,
  );
}

/** Stack config for OAuth against the simulator, with no retries so error tests stay quick. */
export function oauthConfig(sim: RunningSimulator): Record<string, string> {
  return oauthStackConfig(sim, { "plume:maxRetries": "0" });
}

/** Starts a host recording its transcript, configured with `config` as the engine does. */
export async function startConfiguredHost(
  config: Record<string, string>,
  options: ProviderHostOptions = {},
): Promise<ProviderHost> {
  return startHost(config, { recordTranscript: true, ...options });
}

/** The props of a registration: `props(3, "SVC-3")`. */
export function props(index: number, serviceId: string, profile?: string): Promise<PropertyMap> {
  return registrationProps({ customerId: CUSTOMER, locationId: location(index), serviceId, profile });
}

/** Asserts that no canary secret occurs in `text`. */
export function assertNoCanary(text: string, where: string): void {
  for (const [name, secret] of Object.entries(CANARY)) {
    assert.ok(!text.includes(secret), `the canary ${name} leaked into ${where}`);
  }
}
