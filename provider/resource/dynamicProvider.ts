// The dynamic provider of PlumeLocationService: a thin adapter from Pulumi's dynamic-provider interface to the
// location-service core (provider/core/locationService.ts), which holds every rule.
//
// Loaded at run time by the `__provider` text (shim.ts) inside Pulumi's dynamic-provider host. One instance
// serves every PlumeLocationService of a deployment.
import type * as pulumi from "@pulumi/pulumi";
import {
  LocationService,
  type LocationServiceOutputs,
  type LocationServiceProps,
} from "../core/locationService";
import { checkFailureOf } from "../core/schema";

export { TUNING_OPTIONS } from "../core/settings";
export {
  locationResourceId,
  outputsFromLocation,
  parseLocationResourceId,
  type LocationServiceOutputs,
  type LocationServiceProps,
} from "../core/locationService";

/**
 * Reads a stack config key without ever throwing (the host hands over an unset config before Configure). A
 * value written unquoted in the stack's YAML (`plume:windowLimit: 600`, `plume:debug: true`) may arrive as a
 * number or boolean: it is read as its text, not ignored (which would let the environment or a default win).
 */
function safeConfigLookup(config: { get(key: string): string | undefined } | undefined) {
  return (key: string): string | undefined => {
    try {
      const value: unknown = config?.get(key);
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      return typeof value === "string" ? value : undefined;
    } catch {
      return undefined;
    }
  };
}

/**
 * Every stack config key the host handed over. The host's config object keeps them in `rawConfig` (SDK
 * 3.248); should a later SDK hide them, unknown keys simply go unreported.
 */
function configKeysOf(config: unknown): string[] | undefined {
  const raw = (config as { rawConfig?: unknown } | undefined)?.rawConfig;
  return raw !== null && typeof raw === "object" ? Object.keys(raw) : undefined;
}

/**
 * The PlumeLocationService provider: the dynamic-provider face of one {@link LocationService}. `configure`
 * only records where settings come from (this stack's `plume:*` config, then the environment).
 */
export class PlumeLocationServiceProvider implements pulumi.dynamic.ResourceProvider<
  LocationServiceProps,
  LocationServiceOutputs
> {
  private readonly service = new LocationService();

  /** Records the stack config; settings are resolved (config first, environment second) on first use. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.service.configure({
      config: safeConfigLookup(req.config),
      env: process.env,
      configKeys: configKeysOf(req.config),
    });
  }

  /** Validates the inputs and fills in defaults; failures are returned, never thrown. */
  async check(
    _olds: LocationServiceProps,
    news: LocationServiceProps,
  ): Promise<pulumi.dynamic.CheckResult<LocationServiceProps>> {
    const { inputs, problems } = await this.service.check(news);
    return { inputs, failures: problems.map(checkFailureOf) };
  }

  /** Compares the inputs with the last outputs; no location call. */
  async diff(
    _id: string,
    olds: LocationServiceOutputs,
    news: LocationServiceProps,
  ): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = await this.service.diff(olds, news);
    return { changes, replaces, deleteBeforeReplace };
  }

  /** Adopts the location: one PATCH of serviceId and profile (see `LocationService.create`). */
  async create(inputs: LocationServiceProps): Promise<pulumi.dynamic.CreateResult<LocationServiceOutputs>> {
    const { id, outputs } = await this.service.create(inputs);
    return { id, outs: outputs };
  }

  /** Refresh: GETs the location. A location Plume confirms gone returns an empty id. */
  async read(
    id: string,
    props?: LocationServiceOutputs,
  ): Promise<pulumi.dynamic.ReadResult<LocationServiceOutputs>> {
    const found = await this.service.read(id, props);
    return found === undefined ? { id: "" } : { id: found.id, props: found.outputs };
  }

  /** PATCHes the new serviceId and profile; outputs come from Plume's response. */
  async update(
    id: string,
    _olds: LocationServiceOutputs,
    news: LocationServiceProps,
  ): Promise<pulumi.dynamic.UpdateResult<LocationServiceOutputs>> {
    return { outs: await this.service.update(id, news) };
  }

  /** Puts the location back on HomePass, unless it is no longer this resource's (see `LocationService.delete`). */
  async delete(id: string, props: LocationServiceOutputs): Promise<void> {
    await this.service.delete(id, props);
  }
}

/** This process's one provider: every `__provider` text the host meets in state leads here. */
export const plumeDynamicProvider = new PlumeLocationServiceProvider();

let hostConfigured: Promise<void> | undefined;

/**
 * Configures this process's provider once. A host may meet two `__provider` texts in one deployment (a stack
 * written while 0.2.0 was in development keeps its old text in the outputs until each resource is next
 * updated), and builds and configures a provider for each: both get the same stack config, and a second
 * configure would only drop the client, its token and the verified credentials.
 */
function configureHostOnce(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  hostConfigured ??= plumeDynamicProvider.configure(req);
  return hostConfigured;
}

const PROVIDER_METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** This process's provider's methods, bound to it. */
const boundMethods = Object.fromEntries(
  PROVIDER_METHODS.map((method) => [method, plumeDynamicProvider[method].bind(plumeDynamicProvider)]),
) as Pick<PlumeLocationServiceProvider, (typeof PROVIDER_METHODS)[number]>;

/**
 * What `__provider` hands the dynamic-provider host (see shim.ts): this process's provider, configured once.
 */
export const hostProvider: pulumi.dynamic.ResourceProvider = {
  ...boundMethods,
  configure: configureHostOnce,
};

/**
 * What the serialized shim stored while 0.2.0 was in development calls from its `configure`: puts this
 * process's provider's methods on the shim object, which the host calls from then on, and configures the
 * provider (once per process). Kept for stacks whose state still holds that text.
 */
export function bindShim(shim: object, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  for (const [method, value] of Object.entries(boundMethods)) {
    Object.defineProperty(shim, method, { value, configurable: true, writable: true });
  }
  return configureHostOnce(req);
}
