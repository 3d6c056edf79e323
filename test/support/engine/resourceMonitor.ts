/**
 * The engine's side of the conversation with a Pulumi program: a gRPC server offering the
 * `ResourceMonitor` service (resource registrations) and the `Engine` service (log lines), the two
 * addresses `@pulumi/pulumi/cmd/run` receives as `--monitor` and `--engine`. It decodes requests into
 * plain objects and hands them to a {@link MonitorHandlers}; it decides nothing itself.
 */
import * as grpc from "@grpc/grpc-js";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as resourceRpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import type { Alias } from "@pulumi/pulumi/proto/alias_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

import type { AliasSpec } from "./urn";

/** One `RegisterResource` call, decoded. */
export interface Registration {
  type: string;
  name: string;
  /** True for custom (provider-backed) resources, false for components and the stack. */
  custom: boolean;
  /** The parent's URN; empty for the stack itself. */
  parent: string;
  /** The inputs as the SDK serialized them (unknowns are the sentinel string, secrets are wrapped). */
  inputs: Record<string, unknown>;
  dependencies: string[];
  /** Provider reference (`urn::id`); empty when the default provider applies. */
  provider: string;
  /** The `deleteBeforeReplace` option, when the program set it. */
  deleteBeforeReplace?: boolean;
  ignoreChanges: string[];
  protect: boolean;
  retainOnDelete: boolean;
  /** Aliases given as whole URNs. */
  aliasUrns: string[];
  /** Aliases given as specs, resolved by the engine. */
  aliasSpecs: AliasSpec[];
  /** The `import` option (an id), empty when absent. */
  importId: string;
}

/** What the engine answers to a registration. */
export interface RegistrationResult {
  urn: string;
  id?: string;
  outputs: Record<string, unknown>;
}

/** One line the program logged through `pulumi.log` (or the SDK logged on its behalf). */
export interface EngineLogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  /** The resource the line is about, empty for the stack as a whole. */
  urn: string;
}

/** What the monitor delegates to: the deployment. */
export interface MonitorHandlers {
  /** Handles one registration; a rejection becomes a gRPC error the program sees. */
  registerResource(registration: Registration): Promise<RegistrationResult>;
  /** Records outputs registered after the fact (the stack's exports, components' outputs). */
  registerResourceOutputs(urn: string, outputs: Record<string, unknown>): void;
  log(line: EngineLogLine): void;
  /** Called when the program finished successfully and waits for the remaining steps (deletes). */
  signalAndWaitForShutdown(): Promise<void>;
}

/**
 * Features this monitor says it supports. Those the deployment does not emulate are refused, so a
 * program relying on them fails with the SDK's own clear error instead of misbehaving silently.
 */
const supportedFeatures = new Set(["secrets", "resourceReferences", "aliasSpecs", "deletedWith"]);

const severities: Record<number, EngineLogLine["severity"]> = {
  [engineProto.LogSeverity.DEBUG]: "debug",
  [engineProto.LogSeverity.INFO]: "info",
  [engineProto.LogSeverity.WARNING]: "warning",
  [engineProto.LogSeverity.ERROR]: "error",
};

/** A running monitor: its address (`127.0.0.1:<port>`) and how to stop it. */
export interface ResourceMonitorServer {
  address: string;
  /** Stops serving, letting calls in progress finish for up to a second. */
  close(): Promise<void>;
  /** Stops at once: calls in progress fail, as when the engine cancels a deployment. */
  cancel(): void;
}

/** Starts the monitor and engine services on one port chosen by the system. */
export async function startResourceMonitor(handlers: MonitorHandlers): Promise<ResourceMonitorServer> {
  const server = new grpc.Server();
  server.addService(resourceRpc.ResourceMonitorService, resourceMonitorService(handlers));
  server.addService(engineRpc.EngineService, engineService(handlers));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // A program killed mid-call leaves streams open; do not wait for them forever.
        setTimeout(() => server.forceShutdown(), 1000).unref();
      }),
    cancel: () => server.forceShutdown(),
  };
}

function unimplemented(method: string): grpc.ServiceError {
  const error = new Error(
    `the test engine does not implement ResourceMonitor.${method}`,
  ) as grpc.ServiceError;
  error.code = grpc.status.UNIMPLEMENTED;
  error.details = error.message;
  return error;
}

function toServiceError(error: unknown): grpc.ServiceError {
  const message = error instanceof Error ? error.message : String(error);
  const serviceError = new Error(message) as grpc.ServiceError;
  serviceError.code = grpc.status.UNKNOWN;
  serviceError.details = message;
  return serviceError;
}

function structToObject(struct: Struct | undefined): Record<string, unknown> {
  return (struct?.toJavaScript() ?? {}) as Record<string, unknown>;
}

function decodeAliasSpecs(aliases: Alias[]): { urns: string[]; specs: AliasSpec[] } {
  const urns: string[] = [];
  const specs: AliasSpec[] = [];
  for (const alias of aliases) {
    const spec = alias.getSpec();
    if (alias.hasUrn()) {
      urns.push(alias.getUrn());
    } else if (spec) {
      specs.push({
        name: spec.getName() || undefined,
        type: spec.getType() || undefined,
        stack: spec.getStack() || undefined,
        project: spec.getProject() || undefined,
        parentUrn: spec.hasParenturn() ? spec.getParenturn() : undefined,
        noParent: spec.hasNoparent() ? spec.getNoparent() : false,
      });
    }
  }
  return { urns, specs };
}

function decodeRegistration(request: resourceProto.RegisterResourceRequest): Registration {
  const aliases = decodeAliasSpecs(request.getAliasesList());
  return {
    type: request.getType(),
    name: request.getName(),
    custom: request.getCustom(),
    parent: request.getParent(),
    inputs: structToObject(request.getObject()),
    dependencies: request.getDependenciesList(),
    provider: request.getProvider(),
    deleteBeforeReplace: request.getDeletebeforereplacedefined()
      ? request.getDeletebeforereplace()
      : undefined,
    ignoreChanges: request.getIgnorechangesList(),
    protect: request.getProtect() ?? false,
    retainOnDelete: request.getRetainondelete() ?? false,
    aliasUrns: [...request.getAliasurnsList(), ...aliases.urns],
    aliasSpecs: aliases.specs,
    importId: request.getImportid(),
  };
}

function resourceMonitorService(handlers: MonitorHandlers): resourceRpc.IResourceMonitorServer {
  const refuse =
    (method: string) =>
    (_call: unknown, callback: (error: grpc.ServiceError) => void): void =>
      callback(unimplemented(method));
  return {
    supportsFeature(call, callback) {
      const response = new resourceProto.SupportsFeatureResponse();
      response.setHassupport(supportedFeatures.has(call.request.getId()));
      callback(null, response);
    },
    registerResource(call, callback) {
      handlers.registerResource(decodeRegistration(call.request)).then(
        (result) => {
          const response = new resourceProto.RegisterResourceResponse();
          response.setUrn(result.urn);
          response.setId(result.id ?? "");
          response.setObject(Struct.fromJavaScript(result.outputs as never));
          response.setResult(resourceProto.Result.SUCCESS);
          callback(null, response);
        },
        (error: unknown) => callback(toServiceError(error)),
      );
    },
    registerResourceOutputs(call, callback) {
      handlers.registerResourceOutputs(call.request.getUrn(), structToObject(call.request.getOutputs()));
      callback(null, new Empty());
    },
    signalAndWaitForShutdown(_call, callback) {
      handlers.signalAndWaitForShutdown().then(
        () => callback(null, new Empty()),
        (error: unknown) => callback(toServiceError(error)),
      );
    },
    getDeploymentInfo: refuse("GetDeploymentInfo"),
    invoke: refuse("Invoke"),
    call: refuse("Call"),
    readResource: refuse("ReadResource"),
    registerStackTransform: refuse("RegisterStackTransform"),
    registerStackInvokeTransform: refuse("RegisterStackInvokeTransform"),
    registerResourceHook: refuse("RegisterResourceHook"),
    registerErrorHook: refuse("RegisterErrorHook"),
    registerPackage: refuse("RegisterPackage"),
  };
}

function engineService(handlers: MonitorHandlers): engineRpc.IEngineServer {
  let rootResource = "";
  return {
    log(call, callback) {
      handlers.log({
        severity: severities[call.request.getSeverity()] ?? "info",
        message: call.request.getMessage(),
        urn: call.request.getUrn(),
      });
      callback(null, new Empty());
    },
    getRootResource(_call, callback) {
      const response = new engineProto.GetRootResourceResponse();
      response.setUrn(rootResource);
      callback(null, response);
    },
    setRootResource(call, callback) {
      rootResource = call.request.getUrn();
      callback(null, new engineProto.SetRootResourceResponse());
    },
    startDebugging(_call, callback) {
      callback(null, new Empty());
    },
    requirePulumiVersion(_call, callback) {
      callback(null, new engineProto.RequirePulumiVersionResponse());
    },
  };
}
