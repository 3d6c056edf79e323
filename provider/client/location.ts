// What a Plume location looks like to this client. Only the fields the project uses are typed; the rest
// pass through untouched (and some are secrets: `backhaul.wpaKey`, `wanSettings.pppoe.password`).
import { z } from "zod";

/**
 * The profiles a location may be set to: `auto` is HomePass (Plume's default), `smallbusiness` is WorkPass.
 * The one list of them: the client, the resource's `check` and the fleet loader all use it.
 */
export const LOCATION_PROFILES = ["auto", "smallbusiness"] as const;

/** A location's profile: `auto` = HomePass (Plume's default), `smallbusiness` = WorkPass. */
export type LocationProfile = (typeof LOCATION_PROFILES)[number];

/**
 * A Plume location as the API returns it. Holds secrets in some fields: never log it or store it whole.
 */
export interface PlumeLocation {
  id: string;
  name?: string;
  serviceId?: string;
  profile?: string;
  customerId?: string;
  createdAt?: string;
  [field: string]: unknown;
}

/** The change `patchLocation` sends. `serviceId` is required by Plume on every PATCH. */
export interface LocationPatch {
  serviceId: string;
  profile?: LocationProfile;
  name?: string;
}

/** Accepts any object with a string `id`; the typed fields must have their type when present. */
export const plumeLocationSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  serviceId: z.string().nullish(),
  profile: z.string().nullish(),
  customerId: z.string().optional(),
  createdAt: z.string().optional(),
});
