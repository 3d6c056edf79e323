export {
  type Fleet,
  type FleetFormat,
  type LoadFleetOptions,
  type ParseFleetOptions,
  fleetFormatOf,
  loadFleet,
  parseFleet,
} from "./loader";
export { type FleetEntry } from "./validate";
export { type FleetProblem, FleetValidationError, formatFleetProblem } from "./fleetValidationError";
export { FleetFileError } from "./fleetFileError";
export { locationResourceName, parseLocationResourceName } from "./naming";
export { type FleetSummary, summarizeFleet } from "./summary";
export { CSV_HEADER_ALIASES } from "./csvFormat";
export { type LocationProfile, idProblem, parseProfile, serviceIdProblem } from "./rules";
export { type FleetShard, formatFleetShard, parseFleetShard, selectShard, shardOf } from "./shard";
export { FleetShardError, MAX_SHARD_COUNT } from "./fleetShardError";
