// pulumi-plume: the package's main entry. Re-exports only.
export * from "./resource";
export * from "./client";
export * from "./fleet";
// The client and the fleet loader both name the profile type; it is one and the same.
export type { LocationProfile } from "./client";
