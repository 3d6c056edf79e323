/**
 * Set-up shared by the hardening tests: a simulator whose credentials and locations carry canary secrets,
 * stack config that makes faults fail fast, and registration properties as the engine sends them.
 */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../simulator";
import { ProviderHost, registrationProps, type PropertyMap } from "../support/providerHost";

/** Secrets no test output may contain. Each is unique, so a hit can only be a leak. */
export const CANARY = {
  clientSecret: "canary-client-secret-h7-4f1e9a",
  password: "canary-admin-password-h7-b83c20",
  wpaKey: "canary-wpa-key-h7-5d0e77",
  pppoePassword: "canary-pppoe-password-h7-19aa6f",
} as const;

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
  return startSimulator({
    credentials: { clientSecret: CANARY.clientSecret, password: CANARY.password },
    seed: {
      customers: [
        {
          id: CUSTOMER,
          locations: Array.from({ length: count }, (_, index) => ({
            id: locationId(index),
            name: `Hardening home ${index}`,
            profile: "auto",
            backhaul: { wpaKey: CANARY.wpaKey, mode: "auto" },
            wanSettings: { pppoe: { username: `user${index}`, password: CANARY.pppoePassword } },
          })),
        },
      ],
    },
    ...options,
  });
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

/** Stack config for OAuth client credentials against the simulator. */
export function oauthStackConfig(
  sim: RunningSimulator,
  tuning: Record<string, string> = {},
): Record<string, string> {
  return {
    "plume:apiUrl": sim.url,
    "plume:tokenUrl": sim.tokenUrl,
    "plume:clientId": sim.credentials.clientId,
    "plume:clientSecret": sim.credentials.clientSecret,
    "plume:partnerId": sim.credentials.partnerId,
    ...tuning,
  };
}

/** The config keys `pulumi config set --secret` marks secret. */
export const SECRET_CONFIG_KEYS = ["plume:clientSecret", "plume:password", "plume:token"];

/** Starts a provider host (one deployment's provider process) configured with `config`. */
export async function startDeployment(
  config: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ProviderHost> {
  const host = await ProviderHost.start({ env });
  await host.configure(
    config,
    SECRET_CONFIG_KEYS.filter((key) => key in config),
  );
  return host;
}

/** The registration properties of the `index`-th location, `__provider` included. */
export function locationProps(index: number, serviceId: string, profile = "auto"): Promise<PropertyMap> {
  return registrationProps({ customerId: CUSTOMER, locationId: locationId(index), serviceId, profile });
}

/** What the engine keeps after a create: the id and the outputs. */
export interface CreatedResource {
  id: string;
  outputs: PropertyMap;
}

/** Check then Create, as the engine does for a new resource; throws if check reports failures. */
export async function checkAndCreate(
  host: ProviderHost,
  props: PropertyMap,
  name?: string,
): Promise<CreatedResource> {
  const checked = await host.check({}, props, name);
  if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const created = await host.create(checked.inputs, name);
  return { id: created.id, outputs: created.properties };
}
