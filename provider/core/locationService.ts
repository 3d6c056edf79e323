// The location-service logic, once, for every front door: check, diff, create (adopt), read, update and
// delete (reset to HomePass) of one location's serviceId and profile. Knows neither Pulumi's dynamic-provider
// interface nor gRPC: the dynamic provider (provider/resource/dynamicProvider.ts) and the native plugin
// (provider/native/) are thin adapters in front of it. The whole location object never leaves this file: it
// holds Wi-Fi keys and PPPoE passwords.
import { PlumeClient, PlumeNotFoundError, PlumeValidationError, type PlumeLocation } from "../client";
import { quoteForMessage } from "../client/quote";
import { CredentialCheck, credentialFailureReason } from "./credentialCheck";
import { diffLocationService, type LocationServiceDiff } from "./diff";
import { locationGuard } from "./locationGuard";
import { PlumeLocationOperationError } from "./locationOperationError";
import { tellOperator } from "./operatorNotice";
import { formatProblem } from "../problem";
import {
  checkLocationServiceInputs,
  DEFAULT_PROFILE,
  locationServiceInputsSchema,
  problemsOfIssues,
  UNKNOWN_VALUE,
  type InputFailure,
  type LocationServiceInputs,
} from "./schema";
import {
  hasConnectionSettings,
  rateLimitWarnings,
  plumeClientFromSettings,
  TUNING_OPTIONS,
  unknownSettingProblems,
  PlumeSettingsError,
  type SettingsProblem,
  type SettingsSources,
} from "./settings";

export type { LocationServiceDiff } from "./diff";

/**
 * The inputs as a front door hands them over: before `check`, whatever the program declared (any type, or
 * `UNKNOWN_VALUE` in a preview); after it, the checked inputs (`LocationServiceInputs`).
 */
export type LocationServiceProps = { readonly [Key in keyof LocationServiceInputs]?: unknown };

/** The outputs of a location service: taken from what Plume returned, never the whole location. */
export interface LocationServiceOutputs {
  customerId: string;
  locationId: string;
  serviceId: string;
  /** As Plume holds it: `auto` or `smallbusiness`, or a profile set outside this tool (`property`). */
  profile: string;
  locationName?: string;
  createdAt?: string;
}

/** What `check` answers: the inputs with defaults filled in, and every problem (settings first). */
export interface LocationServiceCheck {
  inputs: LocationServiceProps;
  problems: InputFailure[];
}

/** The resource id of a location: `<customerId>/<locationId>`. */
export function locationResourceId(customerId: string, locationId: string): string {
  return `${customerId}/${locationId}`;
}

/**
 * The customer and location of a resource id, `<customerId>/<locationId>` (neither id may contain `/`).
 * Throws a `PlumeValidationError` for any other id rather than guess where one id ends.
 */
export function parseLocationResourceId(id: string): { customerId: string; locationId: string } {
  const parts = id.split("/");
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
    throw new PlumeValidationError(`Invalid PlumeLocationService id ${quoteForMessage(id)}`, {
      field: "id",
      hint:
        "A PlumeLocationService id is <customerId>/<locationId>, and its stored properties name neither. " +
        "Nothing was sent to Plume. Correct the id in the stack's state (`pulumi state edit`), or remove the " +
        "resource from it (`pulumi state delete <urn>`) and let the next `pulumi up` adopt the location again.",
    });
  }
  return { customerId: parts[0], locationId: parts[1] };
}

/** Maps a location Plume returned to the outputs. `fallbackProfile` stands in when Plume left `profile` out. */
export function outputsFromLocation(
  location: PlumeLocation,
  requested: { customerId: string; locationId: string },
  fallbackProfile: string,
): LocationServiceOutputs {
  const outputs: LocationServiceOutputs = {
    customerId: typeof location.customerId === "string" ? location.customerId : requested.customerId,
    locationId: typeof location.id === "string" ? location.id : requested.locationId,
    serviceId: typeof location.serviceId === "string" ? location.serviceId : "",
    profile: typeof location.profile === "string" ? location.profile : fallbackProfile,
  };
  if (typeof location.name === "string") outputs.locationName = location.name;
  if (typeof location.createdAt === "string") outputs.createdAt = location.createdAt;
  return outputs;
}

/**
 * The inputs `check` accepted, read again (defaults included): should an engine ever skip `check`, they are
 * refused here, before anything is sent.
 */
function desiredState(operation: string, id: string, inputs: LocationServiceProps): LocationServiceInputs {
  const parsed = locationServiceInputsSchema.safeParse(inputs);
  if (parsed.success) return parsed.data;
  const problems = problemsOfIssues(parsed.error.issues);
  throw new PlumeLocationOperationError(
    operation,
    id,
    new PlumeValidationError("Invalid inputs", {
      field: problems.map((problem) => problem.path).join(", "),
      hint: `${problems.map(formatProblem).join("; ")}. Nothing was sent to Plume.`,
    }),
  );
}

/**
 * One process's location service. `configure` only records where settings come from, so a failed configure
 * can never leave a half-configured service behind. The first `check` or `diff` verifies the settings once
 * (see credentialCheck.ts): settings that cannot be right and credentials Plume refuses fail the preview, with
 * no location call; without any connection setting a preview still runs. Refresh and destroy call neither:
 * their read and delete report a settings problem themselves.
 */
export class LocationService {
  private sources: SettingsSources = { config: () => undefined, env: process.env };
  private client: PlumeClient | undefined;
  private credentials = this.credentialCheck();

  /** Records where settings come from (stack config first, environment second); resolved on first use. */
  configure(sources: SettingsSources): void {
    this.sources = sources;
    this.client = undefined;
    this.credentials = this.credentialCheck();
  }

  /**
   * The problems of the configured settings that need no network: missing, conflicting, malformed or unknown
   * settings. Empty when there is no connection setting at all (a preview without secrets still runs).
   */
  settingsProblems(): SettingsProblem[] {
    if (!hasConnectionSettings(this.sources)) return unknownSettingProblems(this.sources, TUNING_OPTIONS);
    try {
      this.clientFor(this.sources);
      return [];
    } catch (error) {
      if (error instanceof PlumeSettingsError) return [...error.problems];
      throw error;
    }
  }

  /**
   * Validates the inputs and fills in defaults; returns failures instead of throwing, the settings' own
   * failure (from the process's one credential check) first. Records the location as declared by this
   * deployment, for the same-location guard.
   */
  async check(news: LocationServiceProps): Promise<LocationServiceCheck> {
    const result = checkLocationServiceInputs(news);
    const { customerId, locationId } = result.inputs;
    if (result.problems.length === 0 && customerId !== UNKNOWN_VALUE && locationId !== UNKNOWN_VALUE) {
      locationGuard.recordDeclared(locationResourceId(String(customerId), String(locationId)));
    }
    const failure = await this.credentials.failure();
    if (failure === undefined) return result;
    // No path: engines show it as "resource '<name>' has a problem: <reason>".
    const settingsProblem = {
      code: "connection-settings",
      path: "",
      message: credentialFailureReason(failure),
    };
    return { ...result, problems: [settingsProblem, ...result.problems] };
  }

  /**
   * Compares the inputs with the last outputs; no location call. Throws the settings' failure, should an
   * engine ever diff without checking first.
   */
  async diff(
    olds: Partial<LocationServiceOutputs>,
    news: LocationServiceProps,
  ): Promise<LocationServiceDiff> {
    const failure = await this.credentials.failure();
    if (failure !== undefined) throw failure;
    return diffLocationService(olds, news);
  }

  /**
   * Adopts the location: one PATCH of serviceId and profile; outputs come from Plume's response. The
   * location existed before and stays after, so nothing is created that a failure could leave half-done:
   * either the PATCH is confirmed and the resource enters the state, or the create fails and it does not.
   * A PATCH that timed out or lost its answer may still have landed at Plume; it sets absolute values, so
   * rerunning `pulumi up` converges on the declared state.
   */
  async create(inputs: LocationServiceProps): Promise<{ id: string; outputs: LocationServiceOutputs }> {
    const declared = `${String(inputs.customerId)}/${String(inputs.locationId)}`;
    const desired = desiredState("create", declared, inputs);
    const id = locationResourceId(desired.customerId, desired.locationId);
    return { id, outputs: await this.applyDesiredState("create", id, desired) };
  }

  /**
   * GETs the location (refresh, and import with no stored properties). `undefined` when Plume confirms the
   * location no longer exists.
   */
  async read(
    id: string,
    props?: Partial<LocationServiceOutputs>,
  ): Promise<{ id: string; outputs: LocationServiceOutputs } | undefined> {
    const { customerId, locationId } = this.identify("read", id, props);
    try {
      const location = await this.run("read", id, (client) => client.getLocation(customerId, locationId));
      return { id, outputs: outputsFromLocation(location, { customerId, locationId }, DEFAULT_PROFILE) };
    } catch (error) {
      if (error instanceof PlumeLocationOperationError && error.cause instanceof PlumeNotFoundError) {
        return undefined;
      }
      throw error;
    }
  }

  /** PATCHes the new serviceId and profile; outputs come from Plume's response. */
  async update(id: string, news: LocationServiceProps): Promise<LocationServiceOutputs> {
    return this.applyDesiredState("update", id, desiredState("update", id, news));
  }

  /**
   * Puts the location back on HomePass: PATCH `profile: "auto"` with the current serviceId. Leaves the location
   * alone when a resource of this deployment declares it (the same-location guard) or when its serviceId
   * is no longer ours (another stack or tool took it over). 404 counts as done; any other failure throws, so
   * the resource stays in state.
   */
  async delete(id: string, props: Partial<LocationServiceOutputs>): Promise<void> {
    if (leftToItsDeclarer(id)) return;
    const { customerId, locationId } = this.identify("delete", id, props);
    const serviceId = String(props.serviceId ?? "");
    try {
      await this.run("delete", id, async (client) => {
        const current = await client.getLocation(customerId, locationId);
        // The engine goes on checking and creating other resources while this delete waits for its GET (a
        // delete-before-replace runs as soon as its resource is registered): a resource registered since
        // may have declared this location, and its PATCH must not be undone by the reset below.
        if (leftToItsDeclarer(id)) return;
        if (current.serviceId !== serviceId) {
          console.log(
            `pulumi-plume: location ${id} no longer carries this resource's serviceId; leaving it as it is`,
          );
          return;
        }
        await client.patchLocation(customerId, locationId, { serviceId, profile: DEFAULT_PROFILE });
      });
    } catch (error) {
      if (error instanceof PlumeLocationOperationError && error.cause instanceof PlumeNotFoundError) return;
      throw error;
    }
  }

  /** The credential check of the current settings. */
  private credentialCheck(): CredentialCheck {
    return new CredentialCheck(this.sources, TUNING_OPTIONS, () => this.getClient());
  }

  /**
   * PATCHes the location's serviceId and profile, recorded as a write for the same-location guard, and maps
   * Plume's answer to the outputs. The one write path of create and update.
   */
  private async applyDesiredState(
    operation: "create" | "update",
    id: string,
    desired: LocationServiceInputs,
  ): Promise<LocationServiceOutputs> {
    const { customerId, locationId, serviceId, profile } = desired;
    const location = await this.run(operation, id, (client) =>
      locationGuard.recordWrite(id, () =>
        client.patchLocation(customerId, locationId, { serviceId, profile }),
      ),
    );
    return outputsFromLocation(location, { customerId, locationId }, profile);
  }

  /**
   * The location of a resource: from its stored properties, else from its id. An id that is not
   * `<customerId>/<locationId>` fails the operation, naming it.
   */
  private identify(
    operation: string,
    id: string,
    props: Partial<LocationServiceOutputs> | undefined,
  ): { customerId: string; locationId: string } {
    if (typeof props?.customerId === "string" && typeof props.locationId === "string") {
      return { customerId: props.customerId, locationId: props.locationId };
    }
    try {
      return parseLocationResourceId(id);
    } catch (error) {
      throw new PlumeLocationOperationError(operation, id, error);
    }
  }

  /** Runs one client call for a location, turning any failure into an error that names the location. */
  private async run<T>(
    operation: string,
    location: string,
    call: (client: PlumeClient) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(this.getClient());
    } catch (error) {
      throw new PlumeLocationOperationError(operation, location, error);
    }
  }

  /**
   * The client, built on first use from the settings; a rate setting above what Plume allows is warned about
   * once, when it is built.
   */
  private getClient(): PlumeClient {
    if (!this.client) {
      this.client = this.clientFor(this.sources);
      for (const warning of rateLimitWarnings(this.sources)) tellOperator(`warning: ${warning.message}`);
    }
    return this.client;
  }

  /** A client for `sources`; throws `PlumeSettingsError` for settings that cannot be right. */
  private clientFor(sources: SettingsSources): PlumeClient {
    return plumeClientFromSettings(sources);
  }
}

/** Whether a resource of this deployment claims `location`, so a delete must leave it alone (and says so). */
function leftToItsDeclarer(location: string): boolean {
  if (!locationGuard.isClaimedInThisDeployment(location)) return false;
  console.log(
    `pulumi-plume: location ${location} is declared by a resource of this deployment; not resetting it`,
  );
  return true;
}
