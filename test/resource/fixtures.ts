// Shared set-up of the host-driven resource tests: a seeded simulator with canary secrets, and hosts
// configured the way a stack would configure them.
import assert from "node:assert/strict";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../simulator";
import {
  ProviderHost,
  registrationProps,
  type PropertyMap,
  type ProviderHostOptions,
} from "../support/providerHost";

/** Secrets planted in the simulator: none may show up in a response, `__provider`, a log line or an error. */
export const CANARY = {
  clientSecret: "canary-client-secret-91d2f0",
  password: "canary-admin-password-5be7aa",
  wpaKey: "canary-wpa-key-0c44e1",
  pppoePassword: "canary-pppoe-password-77ab3c",
} as const;

/** The customer every test location belongs to. */
export const CUSTOMER = "5f0000000000000000000c01";

/** A location id of the seeded customer: `location(3)` -> "5f00000000000000000a0003". */
export function location(index: number): string {
  return `5f00000000000000000a${String(index).padStart(4, "0")}`;
}

/** How many locations the seeded customer has. */
export const LOCATION_COUNT = 40;

/** Starts a simulator whose credentials and locations carry the canary secrets. */
export async function startSeededSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({
    credentials: { clientSecret: CANARY.clientSecret, password: CANARY.password },
    seed: {
      customers: [
        {
          id: CUSTOMER,
          locations: Array.from({ length: LOCATION_COUNT }, (_, index) => ({
            id: location(index + 1),
            name: `Home ${index + 1}`,
            serviceId: null,
            profile: "auto",
            backhaul: { wpaKey: CANARY.wpaKey, mode: "auto" },
            wanSettings: { pppoe: { username: "user", password: CANARY.pppoePassword } },
          })),
        },
      ],
    },
    ...options,
  });
}

/** Stack config for OAuth against the simulator, with fast-failing retries so error tests stay quick. */
export function oauthConfig(sim: RunningSimulator): Record<string, string> {
  return {
    "plume:apiUrl": sim.url,
    "plume:tokenUrl": sim.tokenUrl,
    "plume:clientId": sim.credentials.clientId,
    "plume:clientSecret": sim.credentials.clientSecret,
    "plume:partnerId": sim.credentials.partnerId,
    "plume:maxRetries": "0",
  };
}

/** The config keys `pulumi config set --secret` would mark secret. */
export const SECRET_KEYS = ["plume:clientSecret", "plume:password", "plume:token"];

/**
 * Starts a host (recording its transcript) and configures it with `config` (secret keys sent as secrets), as
 * the engine does.
 */
export async function startConfiguredHost(
  config: Record<string, string>,
  options: ProviderHostOptions = {},
): Promise<ProviderHost> {
  const host = await ProviderHost.start({ recordTranscript: true, ...options });
  await host.configure(config, SECRET_KEYS);
  return host;
}

/** The props of a registration: `props(3, "SVC-3")`. */
export function props(index: number, serviceId: string, profile?: string): Promise<PropertyMap> {
  return registrationProps({ customerId: CUSTOMER, locationId: location(index), serviceId, profile });
}

/** Check then create, as the engine does for a new resource; returns the id and outputs. */
export async function checkAndCreate(
  host: ProviderHost,
  news: PropertyMap,
  name?: string,
): Promise<{ id: string; outputs: PropertyMap; inputs: PropertyMap }> {
  const checked = await host.check({}, news, name);
  assert.deepEqual(checked.failures, []);
  const created = await host.create(checked.inputs, name);
  return { id: created.id, outputs: created.properties, inputs: checked.inputs };
}

/** Asserts that no canary secret occurs in `text`. */
export function assertNoCanary(text: string, where: string): void {
  for (const [name, secret] of Object.entries(CANARY)) {
    assert.ok(!text.includes(secret), `the canary ${name} leaked into ${where}`);
  }
}
