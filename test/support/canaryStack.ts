// Set-up shared by the tests that drive the provider host against the simulator: a simulator whose
// credentials and locations carry canary secrets, stack config pointing at it, a configured host, and the
// engine's check-then-create step.
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../simulator";
import { ProviderHost, type PropertyMap, type ProviderHostOptions } from "../../support/providerHost";

/** Secrets planted in the simulator. Each is unique, so finding one in any output can only be a leak. */
export const CANARY = {
  clientSecret: "canary-client-secret-91d2f0",
  password: "canary-admin-password-5be7aa",
  wpaKey: "canary-wpa-key-0c44e1",
  pppoePassword: "canary-pppoe-password-77ab3c",
} as const;

/** The config keys `pulumi config set --secret` marks secret. */
export const SECRET_CONFIG_KEYS = ["plume:clientSecret", "plume:password", "plume:token"];

/** The one customer of a canary simulator and its locations (named `Home 1`, `Home 2`, ... in order). */
export interface CanaryCustomer {
  customerId: string;
  locationIds: readonly string[];
}

/**
 * Starts a simulator whose OAuth client secret and admin password are canaries, seeded with one customer
 * whose freshly onboarded locations (no serviceId, profile `auto`) carry the canary Wi-Fi and PPPoE keys.
 */
export async function startCanarySimulator(
  customer: CanaryCustomer,
  options: SimulatorOptions = {},
): Promise<RunningSimulator> {
  return startSimulator({
    credentials: { clientSecret: CANARY.clientSecret, password: CANARY.password },
    seed: {
      customers: [
        {
          id: customer.customerId,
          locations: customer.locationIds.map((id, index) => ({
            id,
            name: `Home ${index + 1}`,
            serviceId: null,
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

/** Stack config for OAuth client credentials against `sim`, plus any client tuning keys. */
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

/**
 * Starts a provider host (one deployment's provider process) and configures it with `config` as the engine
 * does, the keys of {@link SECRET_CONFIG_KEYS} sent as secrets.
 */
export async function startConfiguredHost(
  config: Record<string, string>,
  options: ProviderHostOptions = {},
): Promise<ProviderHost> {
  const host = await ProviderHost.start(options);
  await host.configure(
    config,
    SECRET_CONFIG_KEYS.filter((key) => key in config),
  );
  return host;
}

/** What the engine keeps after a create: the id, the outputs and the checked inputs. */
export interface CreatedResource {
  id: string;
  outputs: PropertyMap;
  inputs: PropertyMap;
}

/** Check then Create, as the engine does for a new resource; throws if check reports failures. */
export async function checkAndCreate(
  host: ProviderHost,
  news: PropertyMap,
  name?: string,
): Promise<CreatedResource> {
  const checked = await host.check({}, news, name);
  if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const created = await host.create(checked.inputs, name);
  return { id: created.id, outputs: created.properties, inputs: checked.inputs };
}
