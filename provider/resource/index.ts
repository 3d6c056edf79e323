export { PlumeLocationService, type PlumeLocationServiceArgs } from "./plumeLocationService";
export { DEFAULT_PROFILE, type LocationServiceInputs } from "../core/schema";
/** @deprecated The client's `LOCATION_PROFILES`, under its 0.1 name. */
export { LOCATION_PROFILES as PROFILES } from "../client/location";
/** @deprecated The client's `LocationProfile`, under its 0.1 name. */
export type { LocationProfile as PlumeProfile } from "../client/location";
export { PlumeSettingsError, type SettingsProblem } from "../core/settings";
export { PlumeLocationOperationError } from "../core/locationOperationError";
export { prepareFleetRegistration, registerFleet, type RegisterFleetOptions } from "./fleetRegistration";
export { configuredFleetShard } from "./fleetShardConfig";
