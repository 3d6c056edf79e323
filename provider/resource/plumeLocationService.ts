// The PlumeLocationService resource class: what a Pulumi program declares.
import * as pulumi from "@pulumi/pulumi";
import type { LocationProfile } from "../client";
import { DYNAMIC_PROVIDER_SOURCE } from "./shim";

/** The inputs of a {@link PlumeLocationService}. */
export interface PlumeLocationServiceArgs {
  /** The Plume customer id the location belongs to. Changing it replaces the resource. */
  customerId: pulumi.Input<string>;
  /** The Plume location id. Changing it replaces the resource. */
  locationId: pulumi.Input<string>;
  /** The ISP's service id for this location (free text, 1 to 256 characters, no surrounding whitespace). */
  serviceId: pulumi.Input<string>;
  /** `"auto"` (HomePass) or `"smallbusiness"` (WorkPass). @default "auto" */
  profile?: pulumi.Input<LocationProfile>;
}

/**
 * Adopts an existing Plume location and manages its `serviceId` and `profile`. The resource id is
 * `<customerId>/<locationId>`; the type token is `pulumi-nodejs:dynamic/plume:PlumeLocationService`.
 * Deleting the resource puts the location back on HomePass (`profile: "auto"`); the location itself is never
 * deleted. Connection settings come from stack config (`plume:*`) or the environment (`PLUME_*`) when the
 * provider runs: see docs/resource.md.
 *
 * A dynamic resource, served by Pulumi's dynamic-provider host like any `pulumi.dynamic.Resource`; it writes
 * its `__provider` text itself (shim.ts: one line instead of the closure serializer's 627 bytes, stored twice
 * per resource), so it derives from `CustomResource` with the type token such a resource would have.
 */
export class PlumeLocationService extends pulumi.CustomResource {
  /** The customer id, as Plume returned it. */
  declare readonly customerId: pulumi.Output<string>;
  /** The location id, as Plume returned it. */
  declare readonly locationId: pulumi.Output<string>;
  /** The serviceId Plume holds for the location. */
  declare readonly serviceId: pulumi.Output<string>;
  /** The profile Plume holds for the location: `auto` or `smallbusiness`. */
  declare readonly profile: pulumi.Output<LocationProfile>;
  /** The location's name in Plume (set by the subscriber's app; read only). */
  declare readonly locationName: pulumi.Output<string>;
  /** When the location was created in Plume (ISO 8601; read only). */
  declare readonly createdAt: pulumi.Output<string>;

  /** Declares the management of one location's serviceId and profile. */
  constructor(name: string, args: PlumeLocationServiceArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      "pulumi-nodejs:dynamic/plume:PlumeLocationService",
      name,
      {
        __provider: DYNAMIC_PROVIDER_SOURCE,
        customerId: args.customerId,
        locationId: args.locationId,
        serviceId: args.serviceId,
        profile: args.profile,
        locationName: undefined,
        createdAt: undefined,
      },
      opts,
    );
  }
}
