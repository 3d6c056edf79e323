/**
 * Set-up shared by the hardening tests: a simulator whose credentials and locations carry canary secrets,
 * stack config that makes faults fail fast, and registration properties as the engine sends them.
 */
import type { RunningSimulator, SimulatorOptions } from "../../simulator";
import {
  oauthStackConfig,
  startCanarySimulator as startSeeded,
  startConfiguredHost,
} from "../support/canaryStack";
import { TestStack } from "../support/pulumiStack";
import { registrationProps, type PropertyMap, type ProviderHost } from "../../support/providerHost";

export { CANARY, checkAndCreate, oauthStackConfig } from "../support/canaryStack";

/** The customer of every hardening location. */
export const CUSTOMER = "6a0000000000000000000c07";

/** The id of the `index`-th seeded location: `locationId(3)` is `6a000000000000000b000003`. */
export function locationId(index: number): string {
  return `6a000000000000000b${String(index).padStart(6, "0")}`;
}

/** The resource id of the `index`-th location. */
export function resourceId(index: number): string {
  return `${CUSTOMER}/${locationId(index)}`;
}

/** The API path of the `index`-th location (what a fault targets). */
export function locationPath(index: number): string {
  return `/api/Customers/${CUSTOMER}/locations/${locationId(index)}`;
}

/** Starts a simulator with `count` locations of one customer, all carrying the canary Wi-Fi and PPPoE keys. */
export async function startCanarySimulator(
  count: number,
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  return startSeeded(
    { customerId: CUSTOMER, locationIds: Array.from({ length: count }, (_, index) => locationId(index)) },
    options,
  );
}

/** Client tuning that turns every fault into a quick failure: one retry, short pauses, a short timeout. */
export const FAIL_FAST_TUNING: Record<string, string> = {
  "plume:maxRetries": "1",
  "plume:retryBaseDelayMs": "10",
  "plume:retryMaxDelayMs": "20",
  "plume:timeoutMs": "250",
  "plume:deadlineMs": "3000",
  // The firewall hold after a 403 is a sixteenth of the window: keep it short here.
  "plume:windowMs": "4000",
};

/** Starts a provider host (one deployment's provider process) configured with `config`. */
export function startDeployment(
  config: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ProviderHost> {
  return startConfiguredHost(config, { env });
}

/** The registration properties of the `index`-th location, `__provider` included. */
export function locationProps(index: number, serviceId: string, profile = "auto"): Promise<PropertyMap> {
  return registrationProps({ customerId: CUSTOMER, locationId: locationId(index), serviceId, profile });
}

/**
 * A stack of the root program, run by the real Pulumi CLI, reading `fleetFile` and pointed at `sim` with OAuth
 * (the client secret set as a secret) and `tuning`.
 */
export function createFleetStack(
  sim: RunningSimulator,
  fleetFile: string,
  tuning: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<TestStack> {
  const { "plume:clientSecret": clientSecret, ...plain } = oauthStackConfig(sim, tuning);
  return TestStack.create({
    config: { "fleet:file": fleetFile, ...plain },
    secretConfig: { "plume:clientSecret": clientSecret },
    env,
  });
}
