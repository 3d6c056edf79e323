export { PlumeClient } from "./plumeClient";
export { systemClientClock, type ClientClock } from "./clock";
export {
  resolveClientOptions,
  isLoopbackHost,
  CLIENT_DEFAULTS,
  type PlumeClientOptions,
  type ResolvedClientOptions,
  type PlumeAuth,
  type PlumeOAuthAuth,
  type PlumeLoginAuth,
  type PlumeTokenAuth,
  type DescribeSetting,
  describeOptionPath,
} from "./options";
export {
  LOCATION_PROFILES,
  plumeLocationSchema,
  type LocationPatch,
  type LocationProfile,
  type PlumeLocation,
} from "./location";
export {
  RateLimiter,
  processRateLimiter,
  type RateLimits,
  type LimiterClock,
  type LimiterSnapshot,
} from "./rateLimiter";
export { maskKnownSecrets } from "./redact";
export { USER_AGENT } from "./userAgent";
export * from "./errors";
