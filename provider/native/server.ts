// The ResourceProvider gRPC service of the native `plume` plugin: a door over the location core that
// translates, never decides. Each method decodes the request (unwrapping secrets), asks the core, and encodes
// the answer (secrets wrapped again, detailed diff spelled out). Any failure becomes a gRPC error whose
// message names the resource (the core's errors do) and holds no secret.
import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import { maskKnownSecrets } from "../client/redact";
import { PACKAGE_VERSION } from "../client/userAgent";
import type { LocationServiceDiff } from "../core/diff";
import type { LocationService, LocationServiceOutputs } from "../core/locationService";
import { checkFailureOf, UNKNOWN_VALUE } from "../core/schema";
import type { Problem } from "../problem";
import { configurationFromInputs, configurationFromVariables } from "./configuration";
import { unwrapProperties, wrapProperties } from "./propertyValues";
import { LOCATION_SERVICE_INPUTS, LOCATION_SERVICE_TOKEN, packageSchemaText } from "./schema";

/** Outputs that only Plume knows: unknown in a preview of a create. */
const OUTPUTS_FROM_PLUME = ["locationName", "createdAt"] as const;

/** A gRPC method handler of a unary call. */
type UnaryHandler<Request, Response> = (
  call: grpc.ServerUnaryCall<Request, Response>,
  callback: grpc.sendUnaryData<Response>,
) => void;

/**
 * The ResourceProvider service over one location core. Secrets seen in configuration and requests are kept
 * (in memory, never written anywhere) only to mask them out of error messages.
 */
export class PlumeProviderService {
  private secretTexts: string[] = [];

  /** `newCore` builds a core; one serves the resources, fresh ones check a configuration (CheckConfig). */
  constructor(private readonly newCore: () => LocationService) {
    this.core = newCore();
    this.core.configure({ config: () => undefined, env: process.env });
  }

  private core: LocationService;

  /** The handlers to register with a gRPC server for `ResourceProviderService`. */
  handlers(): grpc.UntypedServiceImplementation {
    const unimplemented: UnaryHandler<unknown, never> = (call, callback) =>
      callback({ code: grpc.status.UNIMPLEMENTED, details: `${call.getPath()} is not implemented by plume` });
    return {
      handshake: unimplemented,
      parameterize: unimplemented,
      invoke: unimplemented,
      call: unimplemented,
      construct: unimplemented,
      list: unimplemented,
      getMapping: unimplemented,
      getMappings: unimplemented,
      getPluginInfo: this.unary(async () => new pluginProto.PluginInfo().setVersion(PACKAGE_VERSION)),
      getSchema: this.unary(async () => new providerProto.GetSchemaResponse().setSchema(packageSchemaText())),
      checkConfig: this.unary((request: providerProto.CheckRequest) => this.checkConfig(request)),
      diffConfig: this.unary(async (request: providerProto.DiffRequest) => this.diffConfig(request)),
      configure: this.unary(async (request: providerProto.ConfigureRequest) => this.configure(request)),
      check: this.unary((request: providerProto.CheckRequest) => this.check(request)),
      diff: this.unary((request: providerProto.DiffRequest) => this.diff(request)),
      create: this.unary((request: providerProto.CreateRequest) => this.create(request)),
      read: this.unary((request: providerProto.ReadRequest) => this.read(request)),
      update: this.unary((request: providerProto.UpdateRequest) => this.update(request)),
      delete: this.unary(async (request: providerProto.DeleteRequest) => {
        this.requireLocationService(request.getUrn());
        const { values } = this.unwrap(request.getProperties());
        await this.core.delete(request.getId(), values as unknown as LocationServiceOutputs);
        return new emptyProto.Empty();
      }),
      // Nothing to cancel: the engine stops the process right after.
      cancel: this.unary(async () => new emptyProto.Empty()),
      // The engine attaches to a plugin started by hand (for debugging); nothing to connect back to.
      attach: this.unary(async () => new emptyProto.Empty()),
    };
  }

  /** Validates a provider configuration without any network call: one failure per settings problem. */
  private async checkConfig(request: providerProto.CheckRequest): Promise<providerProto.CheckResponse> {
    const { sources, secretTexts } = configurationFromInputs(request.getNews());
    this.remember(secretTexts);
    const candidate = this.newCore();
    candidate.configure(sources);
    const response = new providerProto.CheckResponse().setInputs(request.getNews());
    this.addFailures(response, candidate.settingsProblems());
    return response;
  }

  /**
   * Which settings changed. A setting never points a resource at another location, so nothing is replaced;
   * the engine reconfigures the provider with the new settings.
   */
  private diffConfig(request: providerProto.DiffRequest): providerProto.DiffResponse {
    const olds = this.unwrap(request.hasOldInputs() ? request.getOldInputs() : request.getOlds()).values;
    const news = this.unwrap(request.getNews()).values;
    const changed = [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
      (key) => news[key] === UNKNOWN_VALUE || JSON.stringify(olds[key]) !== JSON.stringify(news[key]),
    );
    return detailedDiff({
      changes: changed.length > 0,
      replaces: [],
      updates: changed,
      deleteBeforeReplace: false,
    });
  }

  /** Records where settings come from (args when the engine sends them, else variables); resolved on first use. */
  private configure(request: providerProto.ConfigureRequest): providerProto.ConfigureResponse {
    const { sources, secretTexts } = request.hasArgs()
      ? configurationFromInputs(request.getArgs())
      : configurationFromVariables(request.getVariablesMap().getEntryList());
    this.remember(secretTexts);
    this.core.configure(sources);
    return new providerProto.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true);
  }

  private async check(request: providerProto.CheckRequest): Promise<providerProto.CheckResponse> {
    this.requireLocationService(request.getUrn());
    const news = this.unwrap(request.getNews());
    const result = await this.core.check(news.values);
    const response = new providerProto.CheckResponse().setInputs(
      wrapProperties(result.inputs, news.secretKeys),
    );
    this.addFailures(response, result.problems);
    return response;
  }

  /** Adds each problem to `response` as a check failure, every secret masked. */
  private addFailures(response: providerProto.CheckResponse, problems: readonly Problem[]): void {
    for (const { property, reason } of problems.map(checkFailureOf)) {
      response.addFailures(
        new providerProto.CheckFailure().setProperty(property).setReason(this.mask(reason)),
      );
    }
  }

  private async diff(request: providerProto.DiffRequest): Promise<providerProto.DiffResponse> {
    this.requireLocationService(request.getUrn());
    const olds = this.unwrap(request.getOlds()).values;
    const news = this.unwrap(request.getNews()).values;
    return detailedDiff(await this.core.diff(olds, news));
  }

  /** Adopts the location; a preview only echoes the inputs, with Plume's own fields unknown. */
  private async create(request: providerProto.CreateRequest): Promise<providerProto.CreateResponse> {
    this.requireLocationService(request.getUrn());
    const inputs = this.unwrap(request.getProperties());
    if (request.getPreview()) {
      const unknowns = Object.fromEntries(OUTPUTS_FROM_PLUME.map((output) => [output, UNKNOWN_VALUE]));
      return new providerProto.CreateResponse().setProperties(
        wrapProperties({ ...inputs.values, ...unknowns }, inputs.secretKeys),
      );
    }
    const { id, outputs } = await this.core.create(inputs.values);
    return new providerProto.CreateResponse()
      .setId(id)
      .setProperties(wrapProperties(outputs, inputs.secretKeys));
  }

  /**
   * Refresh, or import when the engine knows nothing but the id: then the inputs are what Plume holds, so
   * `pulumi import` records the location as it is, with no write. An empty id: Plume says the location is gone.
   */
  private async read(request: providerProto.ReadRequest): Promise<providerProto.ReadResponse> {
    this.requireLocationService(request.getUrn());
    const props = this.unwrap(request.getProperties());
    const inputs = this.unwrap(request.getInputs());
    const isImport = Object.keys(props.values).length === 0;
    const found = await this.core.read(
      request.getId(),
      isImport ? undefined : (props.values as Partial<LocationServiceOutputs>),
    );
    if (found === undefined) return new providerProto.ReadResponse().setId("");
    const secretKeys = new Set([...props.secretKeys, ...inputs.secretKeys]);
    const response = new providerProto.ReadResponse()
      .setId(found.id)
      .setProperties(wrapProperties(found.outputs, secretKeys));
    if (isImport) {
      const held = Object.fromEntries(LOCATION_SERVICE_INPUTS.map((input) => [input, found.outputs[input]]));
      response.setInputs(wrapProperties(held, secretKeys));
    } else if (request.hasInputs()) {
      response.setInputs(wrapProperties(inputs.values, secretKeys));
    }
    return response;
  }

  /** PATCHes the new serviceId and profile; a preview only echoes the new inputs over the old outputs. */
  private async update(request: providerProto.UpdateRequest): Promise<providerProto.UpdateResponse> {
    this.requireLocationService(request.getUrn());
    const olds = this.unwrap(request.getOlds());
    const news = this.unwrap(request.getNews());
    const secretKeys = new Set([...olds.secretKeys, ...news.secretKeys]);
    const outputs = request.getPreview()
      ? { ...olds.values, ...news.values }
      : await this.core.update(request.getId(), news.values);
    return new providerProto.UpdateResponse().setProperties(wrapProperties(outputs, secretKeys));
  }

  /** Refuses a resource type this provider does not have, naming it. */
  private requireLocationService(urn: string): void {
    // The type part of a URN is `<parent types>$<type>` for a resource under a component.
    const type = urn.split("::")[2]?.split("$").pop();
    if (type !== undefined && type !== LOCATION_SERVICE_TOKEN) {
      throw new Error(`plume has no resource type ${type}; its one resource is ${LOCATION_SERVICE_TOKEN}`);
    }
  }

  /** Decodes a Struct, remembering its secrets so no error message can carry them. */
  private unwrap(struct: Parameters<typeof unwrapProperties>[0]): ReturnType<typeof unwrapProperties> {
    const unwrapped = unwrapProperties(struct);
    this.remember(unwrapped.secretTexts);
    return unwrapped;
  }

  private remember(secretTexts: readonly string[]): void {
    for (const text of secretTexts) if (!this.secretTexts.includes(text)) this.secretTexts.push(text);
  }

  private mask(text: string): string {
    return maskKnownSecrets(text, this.secretTexts);
  }

  /** Wraps an async method as a unary handler: a thrown error becomes a gRPC error with a masked message. */
  private unary<Request, Response>(
    method: (request: Request) => Promise<Response> | Response,
  ): UnaryHandler<Request, Response> {
    return (call, callback) => {
      Promise.resolve()
        .then(() => method(call.request))
        .then(
          (response) => callback(null, response),
          (error: unknown) =>
            callback({ code: grpc.status.UNKNOWN, details: this.mask(errorMessage(error)) }),
        );
    };
  }
}

/** An error's message for the engine to show: the message itself, with its hint when it has one. */
function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The engine's detailed diff of the core's answer: each changed field an UPDATE, or an UPDATE_REPLACE when it
 * points the resource at another location.
 */
function detailedDiff(diff: LocationServiceDiff): providerProto.DiffResponse {
  const response = new providerProto.DiffResponse()
    .setChanges(
      diff.changes
        ? providerProto.DiffResponse.DiffChanges.DIFF_SOME
        : providerProto.DiffResponse.DiffChanges.DIFF_NONE,
    )
    .setReplacesList(diff.replaces)
    .setDeletebeforereplace(diff.deleteBeforeReplace)
    .setHasdetaileddiff(true);
  const fields = [...new Set([...diff.replaces, ...diff.updates])];
  response.setDiffsList(fields);
  const kinds = response.getDetaileddiffMap();
  for (const field of fields) {
    const kind = diff.replaces.includes(field)
      ? providerProto.PropertyDiff.Kind.UPDATE_REPLACE
      : providerProto.PropertyDiff.Kind.UPDATE;
    kinds.set(field, new providerProto.PropertyDiff().setKind(kind));
  }
  return response;
}

/** Registers the service with `server`. */
export function addPlumeProviderService(server: grpc.Server, service: PlumeProviderService): void {
  server.addService(providerGrpc.ResourceProviderService, service.handlers());
}
