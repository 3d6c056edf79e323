// The Plume Cloud simulator: a local stand-in for Plume's API, token endpoint and firewall (see
// docs/simulator.md). This file only re-exports.
export type { RunningSimulator } from "./runningSimulator";
export { startSimulator } from "./server";
export {
  DEFAULT_CREDENTIALS,
  resolveSimulatorOptions,
  SimulatorOptionsError,
  type AdminUserAccount,
  type FirewallOptions,
  type LatencyOptions,
  type OAuthClientAccount,
  type SimulatorCredentials,
  type SimulatorOptions,
} from "./options";
export {
  LOCATION_PROFILES,
  SimulatorState,
  SimulatorStateError,
  type GeneratedFleet,
  type PlumeLocation,
  type SeedCustomer,
  type SeedData,
  type SeedLocation,
  type StateSnapshot,
} from "./state";
export { FaultSwitches, type FailNextOptions, type FaultStatus, type FaultTarget } from "./faults";
export { MASK, type RequestLogEntry } from "./requestLog";
export type { CallTimes, SimulatorCounters } from "./metrics";
export type { AuthScheme } from "./tokens";
export type { FaultRequest } from "./controlApi";
