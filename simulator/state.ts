// The simulated Plume Cloud data: partners' customers and their locations, held in Maps so that every API
// request costs O(1) whatever the size of the fleet.
import { randomBytes } from "node:crypto";

/** Profiles a location can have: `auto` is HomePass, `smallbusiness` WorkPass, `property` integration-only. */
export const LOCATION_PROFILES = ["auto", "smallbusiness", "property"] as const;

/** A location as Plume returns it. Secrets live in `backhaul.wpaKey` and `wanSettings.pppoe.password`. */
export interface PlumeLocation {
  id: string;
  name: string;
  /** Absent until set (the guide calls it optional); seed data may set it to `null`. */
  serviceId?: string | null;
  profile: string;
  customerId: string;
  accountId: string;
  partnerId: string;
  groupIds: string[];
  createdAt: string;
  updatedAt: string;
  region: string;
  networkMode: string;
  freezeTemplates: unknown[];
  ispSpeedTestConfiguration: Record<string, unknown>;
  bandSteering: Record<string, unknown>;
  clientSteering: Record<string, unknown>;
  monitorMode: Record<string, unknown>;
  backhaul: { wpaKey: string } & Record<string, unknown>;
  wanSettings: { pppoe: { password: string } & Record<string, unknown> } & Record<string, unknown>;
  optimizations: Record<string, unknown>;
  _version: number;
  [field: string]: unknown;
}

/** A location in seed data: only `id` matters, every other field overrides the generated value. */
export interface SeedLocation {
  /** @default a generated 24-hex id */
  id?: string;
  name?: string;
  serviceId?: string | null;
  /** @default "auto" */
  profile?: string;
  [field: string]: unknown;
}

/** A customer in seed data. */
export interface SeedCustomer {
  id: string;
  /** @default the simulator's default partner (`sim-partner`) */
  partnerId?: string;
  locations?: SeedLocation[];
}

/** Seed data, also the shape of `snapshot()` and of the persist file. */
export interface SeedData {
  customers: SeedCustomer[];
}

/** A snapshot: seed data where every location is complete. */
export interface StateSnapshot {
  customers: Array<{ id: string; partnerId: string; locations: PlumeLocation[] }>;
}

/** Thrown for seed data or in-process calls that cannot be applied; lists every problem. */
export class SimulatorStateError extends Error {
  override name = "SimulatorStateError";
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

interface Customer {
  id: string;
  partnerId: string;
  locations: Map<string, PlumeLocation>;
}

/** The fields a PATCH may change, already validated by the API layer. */
export interface LocationChanges {
  serviceId?: string;
  profile?: string;
  name?: string;
}

/** What `generate` creates: the ids, in order. */
export interface GeneratedFleet {
  customers: Array<{ id: string; locationIds: string[] }>;
}

/** In-memory customers and locations. Getters return copies: mutate through the methods only. */
export class SimulatorState {
  private readonly customers = new Map<string, Customer>();
  private readonly now: () => number;
  private readonly defaultPartnerId: string;
  private readonly onChange: () => void;
  private locationCount = 0;
  private generatedIds = 0;

  constructor(options: { now: () => number; defaultPartnerId: string; onChange?: () => void }) {
    this.now = options.now;
    this.defaultPartnerId = options.defaultPartnerId;
    this.onChange = options.onChange ?? (() => undefined);
  }

  /**
   * Adds customers and locations. A customer that exists keeps its other locations; a location that exists
   * is replaced. With `replace: true` everything else is removed first. Validates the whole seed before
   * changing anything.
   */
  seed(data: SeedData, options: { replace?: boolean } = {}): { customers: number; locations: number } {
    const problems = validateSeed(data);
    if (problems.length > 0) {
      throw new SimulatorStateError(`Invalid seed data: ${problems.join("; ")}`, problems);
    }
    if (options.replace) this.clearSilently();
    let locations = 0;
    for (const seedCustomer of data.customers) {
      const customer = this.ensureCustomer(seedCustomer.id, seedCustomer.partnerId);
      for (const seedLocation of seedCustomer.locations ?? []) {
        this.putLocation(customer, seedLocation);
        locations += 1;
      }
    }
    this.onChange();
    return { customers: data.customers.length, locations };
  }

  /**
   * Creates a fleet of `customers` customers with `locationsPerCustomer` locations each, for benchmarks.
   * Ids are deterministic per simulator (`<prefix>c<n>` and `<prefix>c<n>l<m>`). @returns the ids created
   */
  generate(options: {
    customers: number;
    locationsPerCustomer: number;
    partnerId?: string;
    idPrefix?: string;
  }): GeneratedFleet {
    const { customers, locationsPerCustomer } = options;
    const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
    if (!isCount(customers) || !isCount(locationsPerCustomer)) {
      throw new SimulatorStateError("generate needs integer counts of customers and locationsPerCustomer");
    }
    const prefix = options.idPrefix ?? "sim-";
    const fleet: GeneratedFleet = { customers: [] };
    for (let c = 1; c <= customers; c += 1) {
      const customer = this.ensureCustomer(`${prefix}c${c}`, options.partnerId);
      const locationIds: string[] = [];
      for (let l = 1; l <= locationsPerCustomer; l += 1) {
        const location = this.putLocation(customer, {
          id: `${customer.id}l${l}`,
          name: `Location ${c}-${l}`,
        });
        locationIds.push(location.id);
      }
      fleet.customers.push({ id: customer.id, locationIds });
    }
    this.onChange();
    return fleet;
  }

  /** Adds (or replaces) one location; creates the customer when it does not exist. @returns a copy */
  addLocation(
    customerId: string,
    location: SeedLocation = {},
    options: { partnerId?: string } = {},
  ): PlumeLocation {
    const problems = validateSeed({ customers: [{ id: customerId, ...options, locations: [location] }] });
    if (problems.length > 0)
      throw new SimulatorStateError(`Invalid location: ${problems.join("; ")}`, problems);
    const created = this.putLocation(this.ensureCustomer(customerId, options.partnerId), location);
    this.onChange();
    return structuredClone(created);
  }

  /** One location, complete with secrets, or undefined. @returns a copy */
  getLocation(customerId: string, locationId: string): PlumeLocation | undefined {
    const location = this.peekLocation(customerId, locationId);
    return location && structuredClone(location);
  }

  /** A customer's locations in insertion order ([] for an unknown customer). @returns copies */
  listLocations(customerId: string): PlumeLocation[] {
    const customer = this.customers.get(customerId);
    return customer ? [...customer.locations.values()].map((location) => structuredClone(location)) : [];
  }

  /** The partner a customer belongs to, or undefined for an unknown customer. */
  partnerOf(customerId: string): string | undefined {
    return this.customers.get(customerId)?.partnerId;
  }

  /**
   * Changes a location behind the provider's back (any fields, shallow merge), bumping `_version` and
   * `updatedAt` the way an edit in Plume's UI would. `id` and `customerId` cannot change. @returns a copy
   */
  driftLocation(customerId: string, locationId: string, patch: Record<string, unknown>): PlumeLocation {
    const location = this.peekLocation(customerId, locationId);
    if (!location) throw new SimulatorStateError(`No location ${customerId}/${locationId} to drift`);
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
      throw new SimulatorStateError("A drift patch must be an object of location fields");
    }
    const { id: _id, customerId: _customerId, ...rest } = patch;
    Object.assign(location, structuredClone(rest));
    this.touch(location);
    this.onChange();
    return structuredClone(location);
  }

  /** Removes a location (to test a location that vanished). @returns whether it existed */
  deleteLocation(customerId: string, locationId: string): boolean {
    const deleted = this.customers.get(customerId)?.locations.delete(locationId) ?? false;
    if (deleted) {
      this.locationCount -= 1;
      this.onChange();
    }
    return deleted;
  }

  /** Removes every customer and location. */
  clear(): void {
    this.clearSilently();
    this.onChange();
  }

  /** How many customers and locations exist. */
  size(): { customers: number; locations: number } {
    return { customers: this.customers.size, locations: this.locationCount };
  }

  /** A deep copy of everything, in the seed-data shape (can be fed back to `seed`). */
  snapshot(): StateSnapshot {
    return {
      customers: [...this.customers.values()].map((customer) => ({
        id: customer.id,
        partnerId: customer.partnerId,
        locations: [...customer.locations.values()].map((location) => structuredClone(location)),
      })),
    };
  }

  /** The stored location itself, for the API layer (no copy: do not mutate). */
  peekLocation(customerId: string, locationId: string): PlumeLocation | undefined {
    return this.customers.get(customerId)?.locations.get(locationId);
  }

  /** Iterates a customer's stored locations, for the API layer (no copies). */
  peekLocations(customerId: string): Iterable<PlumeLocation> {
    return this.customers.get(customerId)?.locations.values() ?? [];
  }

  /** Applies a validated PATCH. @returns the stored location (no copy) */
  applyChanges(customerId: string, locationId: string, changes: LocationChanges): PlumeLocation {
    const location = this.peekLocation(customerId, locationId);
    if (!location) throw new SimulatorStateError(`No location ${customerId}/${locationId}`);
    if (changes.serviceId !== undefined) location.serviceId = changes.serviceId;
    if (changes.profile !== undefined) location.profile = changes.profile;
    if (changes.name !== undefined) location.name = changes.name;
    this.touch(location);
    this.onChange();
    return location;
  }

  private touch(location: PlumeLocation): void {
    location._version = (typeof location._version === "number" ? location._version : 0) + 1;
    location.updatedAt = this.laterTimestamp(location.updatedAt);
  }

  // updatedAt must move forward even when the (injected) clock has not, so a change is always visible.
  private laterTimestamp(previous: string): string {
    const nowMs = this.now();
    const previousMs = Date.parse(previous);
    return new Date(Number.isNaN(previousMs) || nowMs > previousMs ? nowMs : previousMs + 1).toISOString();
  }

  private clearSilently(): void {
    this.customers.clear();
    this.locationCount = 0;
  }

  private ensureCustomer(id: string, partnerId: string | undefined): Customer {
    let customer = this.customers.get(id);
    if (!customer) {
      customer = { id, partnerId: partnerId ?? this.defaultPartnerId, locations: new Map() };
      this.customers.set(id, customer);
    } else if (partnerId !== undefined) {
      customer.partnerId = partnerId;
      for (const location of customer.locations.values()) location.partnerId = partnerId;
    }
    return customer;
  }

  private putLocation(customer: Customer, seed: SeedLocation): PlumeLocation {
    const location = this.newLocation(customer, seed);
    if (!customer.locations.has(location.id)) this.locationCount += 1;
    customer.locations.set(location.id, location);
    return location;
  }

  private newLocation(customer: Customer, seed: SeedLocation): PlumeLocation {
    const id = seed.id ?? this.nextObjectId();
    const createdAt = new Date(this.now()).toISOString();
    const location: PlumeLocation = {
      id,
      name: `Home ${id.slice(-6)}`,
      profile: "auto",
      customerId: customer.id,
      accountId: `acct-${customer.id}`,
      partnerId: customer.partnerId,
      groupIds: [],
      createdAt,
      updatedAt: createdAt,
      region: "US",
      networkMode: "auto",
      freezeTemplates: [],
      ispSpeedTestConfiguration: { enable: false, enableAllNodes: false, preferredServerId: null },
      bandSteering: { enable: true, mode: "auto" },
      clientSteering: { enable: true, mode: "auto", auto: true },
      monitorMode: { enable: false },
      backhaul: { mode: "auto", dynamicBeacon: false, hiddenSsid: true, wpaKey: secret(24) },
      wanSettings: {
        mode: "dhcp",
        pppoe: { enabled: false, username: `pppoe-${id.slice(-6)}`, password: secret(16) },
        vlan: { enabled: false, vlanId: null },
      },
      optimizations: { auto: true, enable: true, dfsMode: "auto", zeroWait: "auto", preCAC: "auto" },
      _version: 1,
    };
    // Seed values override generated ones; nested secret holders are merged so a seed can plant a canary
    // wpaKey or PPPoE password without restating the rest.
    const { backhaul, wanSettings, ...overrides } = structuredClone(seed);
    Object.assign(location, overrides, { id, customerId: customer.id, partnerId: customer.partnerId });
    if (isRecord(backhaul)) Object.assign(location.backhaul, backhaul);
    if (isRecord(wanSettings)) {
      const { pppoe, ...wanRest } = wanSettings;
      Object.assign(location.wanSettings, wanRest);
      if (isRecord(pppoe)) Object.assign(location.wanSettings.pppoe, pppoe);
    }
    return location;
  }

  // Plume ids are 24-hex MongoDB ObjectIds: a time part, then a counter.
  private nextObjectId(): string {
    this.generatedIds += 1;
    const seconds = Math.floor(this.now() / 1000)
      .toString(16)
      .padStart(8, "0");
    return `${seconds}${randomBytes(5).toString("hex")}${this.generatedIds.toString(16).padStart(6, "0")}`;
  }
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function secret(length: number): string {
  return randomBytes(length).toString("base64url").slice(0, length);
}

/** Checks seed data, returning every problem with its dot-path (empty when valid). */
export function validateSeed(data: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(data) || !Array.isArray(data.customers)) {
    return ['seed data must be an object like {"customers":[{"id":"...","locations":[{"id":"..."}]}]}'];
  }
  data.customers.forEach((customer: unknown, c: number) => {
    const at = `customers[${c}]`;
    if (!isRecord(customer)) return problems.push(`${at} must be an object`);
    if (typeof customer.id !== "string" || customer.id === "")
      problems.push(`${at}.id must be a non-empty string`);
    if (
      customer.partnerId !== undefined &&
      (typeof customer.partnerId !== "string" || customer.partnerId === "")
    ) {
      problems.push(`${at}.partnerId must be a non-empty string`);
    }
    if (customer.locations === undefined) return;
    if (!Array.isArray(customer.locations)) return problems.push(`${at}.locations must be an array`);
    customer.locations.forEach((location: unknown, l: number) => {
      const where = `${at}.locations[${l}]`;
      if (!isRecord(location)) return problems.push(`${where} must be an object`);
      if (location.id !== undefined && (typeof location.id !== "string" || location.id === "")) {
        problems.push(`${where}.id must be a non-empty string`);
      }
      if (location.name !== undefined && typeof location.name !== "string") {
        problems.push(`${where}.name must be a string`);
      }
      if (
        location.serviceId !== undefined &&
        location.serviceId !== null &&
        typeof location.serviceId !== "string"
      ) {
        problems.push(`${where}.serviceId must be a string or null`);
      }
      if (
        location.profile !== undefined &&
        !(LOCATION_PROFILES as readonly unknown[]).includes(location.profile)
      ) {
        problems.push(`${where}.profile must be one of ${LOCATION_PROFILES.join(", ")}`);
      }
      return undefined;
    });
    return undefined;
  });
  return problems;
}
