export { PlumeLocationService, type PlumeLocationServiceArgs } from "./plumeLocationService";
export { PROFILES, DEFAULT_PROFILE, type PlumeProfile, type LocationServiceInputs } from "./schema";
export { PlumeSettingsError, type SettingsProblem } from "./settings";
export { PlumeLocationOperationError } from "./locationOperationError";
