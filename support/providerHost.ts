// A test driver for Pulumi's real dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`).
//
// It does what the Pulumi engine does when a program declares dynamic resources: it serves a minimal Engine
// gRPC endpoint, spawns `node <host script> <engine address>` in the project directory, reads the port the host
// prints, and speaks the ResourceProvider gRPC protocol to it with property values encoded as
// google.protobuf.Struct (unknown values as the engine's sentinel string, secret config as secret objects).
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";
import { DYNAMIC_PROVIDER_SOURCE } from "../provider/resource/shim";

/** The value the engine sends for a property whose value is not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The repository root: the directory a `pulumi` run in this repository would start plugins in. */
export const REPO_ROOT = path.resolve(__dirname, "..");

/** The type token of the resource, as the engine puts it into URNs. */
export const RESOURCE_TYPE = "pulumi-nodejs:dynamic/plume:PlumeLocationService";

const SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** Property values as they travel through google.protobuf.Struct. */
export type PropertyMap = Record<string, unknown>;

/** Options of {@link ProviderHost.start}. */
export interface ProviderHostOptions {
  /**
   * Working directory of the host process (the engine runs plugins in the project directory).
   * @default the repository root
   */
  cwd?: string;
  /**
   * Environment variables of the host process, on top of the inherited environment.
   * @default {}
   */
  env?: Record<string, string | undefined>;
  /**
   * Whether to drop every inherited `PLUME_*` variable first, so only `env` decides the Plume settings.
   * @default true
   */
  isolatePlumeEnv?: boolean;
  /**
   * Whether to keep every response and error message in {@link ProviderHost.transcript} (to assert that no
   * secret ever leaves the provider). Off by default: benchmarks make many calls.
   * @default false
   */
  recordTranscript?: boolean;
  /**
   * Stack name and project name used to build URNs.
   * @default "test" and "pulumi-plume"
   */
  stack?: string;
  project?: string;
}

/** A log line the host sent to the fake engine's `Log` endpoint. */
export interface EngineLogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
}

/** What Check answered. */
export interface CheckResult {
  inputs: PropertyMap;
  failures: { property: string; reason: string }[];
}

/** What Diff answered. */
export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** What Create and Read answered. */
export interface ResourceState {
  id: string;
  properties: PropertyMap;
  inputs?: PropertyMap;
}

/** A failed gRPC call to the host: `details` is the message the engine would show the user. */
export class ProviderHostError extends Error {
  override readonly name = "ProviderHostError";

  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method} failed (gRPC status ${code}): ${details}`);
  }
}

const severityNames: Record<number, EngineLogLine["severity"]> = {
  [engineProto.LogSeverity.DEBUG]: "debug",
  [engineProto.LogSeverity.INFO]: "info",
  [engineProto.LogSeverity.WARNING]: "warning",
  [engineProto.LogSeverity.ERROR]: "error",
};

/** Starts an in-process Engine service that records log lines, as the engine's host endpoint would. */
async function startFakeEngine(logs: EngineLogLine[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) =>
    callback({ code: grpc.status.UNIMPLEMENTED, details: "not implemented by the test engine" });
  server.addService(engineGrpc.EngineService, {
    log: (
      call: grpc.ServerUnaryCall<engineProto.LogRequest, emptyProto.Empty>,
      callback: grpc.sendUnaryData<emptyProto.Empty>,
    ) => {
      const request = call.request;
      logs.push({
        severity: severityNames[request.getSeverity()] ?? "info",
        message: request.getMessage(),
        urn: request.getUrn(),
      });
      callback(null, new emptyProto.Empty());
    },
    getRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineProto.GetRootResourceResponse>) =>
      callback(null, new engineProto.GetRootResourceResponse()),
    setRootResource: (_call: unknown, callback: grpc.sendUnaryData<engineProto.SetRootResourceResponse>) =>
      callback(null, new engineProto.SetRootResourceResponse()),
    startDebugging: unimplemented,
    requirePulumiVersion: (_call: unknown, callback: grpc.sendUnaryData<emptyProto.Empty>) =>
      callback(null, new emptyProto.Empty()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, boundPort) =>
      err ? reject(err) : resolve(boundPort),
    ),
  );
  return { server, address: `127.0.0.1:${port}` };
}

/** Builds the child's environment: the inherited one, optionally without PLUME_*, plus the given variables. */
function hostEnvironment(options: ProviderHostOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const isolate = options.isolatePlumeEnv ?? true;
  for (const [name, value] of Object.entries(process.env)) {
    if (isolate && name.startsWith("PLUME_")) {
      continue;
    }
    env[name] = value;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) {
      delete env[name];
    } else {
      env[name] = value;
    }
  }
  return env;
}

/** Reads the first line the host prints (its port), keeping everything else it prints. */
function readPort(child: ChildProcess, output: { stdout: string; stderr: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      output.stdout += chunk.toString("utf8");
      const newline = output.stdout.indexOf("\n");
      if (!settled && newline >= 0) {
        settled = true;
        const port = Number(output.stdout.slice(0, newline).trim());
        output.stdout = output.stdout.slice(newline + 1);
        if (Number.isInteger(port) && port > 0) {
          resolve(port);
        } else {
          reject(new Error(`the provider host printed no port: ${output.stdout}${output.stderr}`));
        }
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output.stderr += chunk.toString("utf8");
    });
    child.once("error", fail);
    child.once("exit", (code, signal) =>
      fail(
        new Error(
          `the provider host exited (code ${code}, signal ${signal}) before listening: ${output.stderr}`,
        ),
      ),
    );
  });
}

function toStruct(value: PropertyMap): structProto.Struct {
  return structProto.Struct.fromJavaScript(value as Record<string, structProto.JavaScriptValue>);
}

function fromStruct(value: structProto.Struct | undefined): PropertyMap {
  return (value?.toJavaScript() ?? {}) as PropertyMap;
}

/**
 * A running dynamic-provider host and a gRPC connection to it. Start it with {@link ProviderHost.start}; always
 * {@link ProviderHost.close} it. Safe for many concurrent calls.
 */
export class ProviderHost {
  /** Log lines the host sent to the engine's `Log` endpoint. */
  readonly engineLogs: EngineLogLine[];
  /** Every response (as JSON) and error message, when started with `recordTranscript`. */
  readonly transcript: string[] = [];
  private readonly output: { stdout: string; stderr: string };
  private peakRssKilobytes: number | undefined;
  private closed = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
    private readonly engine: grpc.Server,
    private readonly exited: Promise<void>,
    output: { stdout: string; stderr: string },
    engineLogs: EngineLogLine[],
    private readonly urnPrefix: string,
    private readonly recordTranscript: boolean,
  ) {
    this.output = output;
    this.engineLogs = engineLogs;
  }

  /** Spawns the host the way the engine does and connects to it. */
  static async start(options: ProviderHostOptions = {}): Promise<ProviderHost> {
    const engineLogs: EngineLogLine[] = [];
    const engine = await startFakeEngine(engineLogs);
    const cwd = options.cwd ?? REPO_ROOT;
    const hostScript = require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd, REPO_ROOT] });
    const child = spawn(process.execPath, [hostScript, engine.address], {
      cwd,
      env: hostEnvironment(options),
      stdio: ["ignore", "pipe", "pipe"],
    });
    // "close", not "exit": it comes once the host's stdout and stderr are drained too, so whatever the host
    // printed (the same-location guard's notes, say) has been read when close() returns.
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const output = { stdout: "", stderr: "" };
    let port: number;
    try {
      port = await readPort(child, output);
    } catch (error) {
      child.kill("SIGKILL");
      engine.server.forceShutdown();
      throw error;
    }
    const client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
      {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
      },
    );
    const urnPrefix = `urn:pulumi:${options.stack ?? "test"}::${options.project ?? "pulumi-plume"}::${RESOURCE_TYPE}::`;
    return new ProviderHost(
      child,
      client,
      engine.server,
      exited,
      output,
      engineLogs,
      urnPrefix,
      options.recordTranscript ?? false,
    );
  }

  /** Process id of the host. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the host printed on stdout after its port (the engine shows it as log output). */
  get stdout(): string {
    return this.output.stdout;
  }

  /** Everything the host printed on stderr. */
  get stderr(): string {
    return this.output.stderr;
  }

  /** Every line the host printed or logged, for asserting that a secret never shows up. */
  get allLogText(): string {
    return [this.stdout, this.stderr, ...this.engineLogs.map((line) => line.message)].join("\n");
  }

  /**
   * Resolves once the host has printed something matching `pattern` (output reaches the pipe independently of
   * gRPC answers, so a line printed during a call may arrive after the call's response).
   */
  waitForOutput(pattern: RegExp, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const matches = () => pattern.test(this.stdout) || pattern.test(this.stderr);
      if (matches()) {
        resolve();
        return;
      }
      const onData = () => {
        if (matches()) {
          finish();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`the provider host printed nothing matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.child.stdout?.off("data", onData);
        this.child.stderr?.off("data", onData);
      };
      // Registered after the host's own collectors, so the text is already appended when this runs.
      this.child.stdout?.on("data", onData);
      this.child.stderr?.on("data", onData);
    });
  }

  /** The host's peak resident set size in bytes (VmHWM, Linux only); kept after close. */
  peakRssBytes(): number | undefined {
    if (!this.closed) {
      try {
        const status = readFileSync(`/proc/${this.pid}/status`, "utf8");
        const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
        if (match) {
          this.peakRssKilobytes = Number(match[1]);
        }
      } catch {
        // Not Linux, or the process is gone: keep the last reading.
      }
    }
    return this.peakRssKilobytes === undefined ? undefined : this.peakRssKilobytes * 1024;
  }

  /** The URN the engine would give a PlumeLocationService with this name. */
  urn(name = "location"): string {
    return this.urnPrefix + name;
  }

  /**
   * Configure, with the stack config as the engine sends it (`plume:apiUrl` style keys). Keys listed in
   * `secretKeys` travel as secret values, as `pulumi config set --secret` ones do.
   */
  async configure(config: Record<string, string>, secretKeys: string[] = []): Promise<void> {
    const args: PropertyMap = {};
    const request = new providerProto.ConfigureRequest();
    for (const [key, value] of Object.entries(config)) {
      args[key] = secretKeys.includes(key) ? { [SECRET_SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value;
      request.getVariablesMap().set(key, value);
    }
    request.setArgs(toStruct(args));
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    await this.call("configure", request);
  }

  /** Check: validate `news` against the previous inputs `olds`. */
  async check(olds: PropertyMap, news: PropertyMap, name?: string): Promise<CheckResult> {
    const request = new providerProto.CheckRequest();
    request.setUrn(this.urn(name));
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<providerProto.CheckResponse>("check", request);
    return {
      inputs: fromStruct(response.getInputs()),
      failures: response.getFailuresList().map((failure) => ({
        property: failure.getProperty(),
        reason: failure.getReason(),
      })),
    };
  }

  /** Diff: compare the new inputs with the old outputs. */
  async diff(id: string, olds: PropertyMap, news: PropertyMap, name?: string): Promise<DiffResult> {
    const request = new providerProto.DiffRequest();
    request.setId(id);
    request.setUrn(this.urn(name));
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<providerProto.DiffResponse>("diff", request);
    const changes = response.getChanges();
    return {
      changes:
        changes === providerProto.DiffResponse.DiffChanges.DIFF_SOME
          ? "some"
          : changes === providerProto.DiffResponse.DiffChanges.DIFF_NONE
            ? "none"
            : "unknown",
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  /** Create: returns the id and the output properties (with `__provider`). */
  async create(props: PropertyMap, name?: string): Promise<ResourceState> {
    const request = new providerProto.CreateRequest();
    request.setUrn(this.urn(name));
    request.setProperties(toStruct(props));
    const response = await this.call<providerProto.CreateResponse>("create", request);
    return { id: response.getId(), properties: fromStruct(response.getProperties()) };
  }

  /** Read (refresh): an empty id means the resource is gone. */
  async read(id: string, props: PropertyMap, inputs?: PropertyMap, name?: string): Promise<ResourceState> {
    const request = new providerProto.ReadRequest();
    request.setId(id);
    request.setUrn(this.urn(name));
    request.setProperties(toStruct(props));
    if (inputs) {
      request.setInputs(toStruct(inputs));
    }
    const response = await this.call<providerProto.ReadResponse>("read", request);
    const result: ResourceState = { id: response.getId(), properties: fromStruct(response.getProperties()) };
    if (response.hasInputs()) {
      result.inputs = fromStruct(response.getInputs());
    }
    return result;
  }

  /** Update: returns the new output properties. */
  async update(id: string, olds: PropertyMap, news: PropertyMap, name?: string): Promise<PropertyMap> {
    const request = new providerProto.UpdateRequest();
    request.setId(id);
    request.setUrn(this.urn(name));
    request.setOlds(toStruct(olds));
    request.setNews(toStruct(news));
    const response = await this.call<providerProto.UpdateResponse>("update", request);
    return fromStruct(response.getProperties());
  }

  /** Delete, with the old output properties. */
  async delete(id: string, props: PropertyMap, name?: string): Promise<void> {
    const request = new providerProto.DeleteRequest();
    request.setId(id);
    request.setUrn(this.urn(name));
    request.setProperties(toStruct(props));
    await this.call("delete", request);
  }

  /** Closes the connection, stops the host (SIGTERM, as the engine does) and the fake engine. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.peakRssBytes();
    this.closed = true;
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      // Should the host not exit on SIGTERM, do not let the test run hang on it.
      const killer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
      await this.exited;
      clearTimeout(killer);
    }
    await this.exited;
    await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
  }

  private call<Response>(method: string, request: unknown): Promise<Response> {
    const client = this.client as unknown as Record<
      string,
      (request: unknown, callback: (error: grpc.ServiceError | null, response: Response) => void) => void
    >;
    return new Promise((resolve, reject) => {
      client[method].call(this.client, request, (error, response) => {
        if (error) {
          if (this.recordTranscript) this.transcript.push(`${method} error: ${error.details}`);
          reject(new ProviderHostError(method, error.code, error.details));
        } else {
          if (this.recordTranscript) {
            const message = response as unknown as { toObject?: () => unknown };
            this.transcript.push(`${method}: ${JSON.stringify(message.toObject?.() ?? null)}`);
          }
          resolve(response);
        }
      });
    });
  }
}

/**
 * Serializes a dynamic provider exactly as `pulumi.dynamic.Resource` does (`serializeFunction(() => provider,
 * { allowSecrets: true })`) and returns the `__provider` text the engine would store.
 */
export async function serializeProvider(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return serialized.text;
}

/** The inputs of a PlumeLocationService, as a program gives them. */
export interface LocationServiceProps {
  customerId: string;
  locationId: string;
  serviceId: string;
  profile?: string;
}

/**
 * The properties a real PlumeLocationService registration sends: the given inputs (absent `profile` left out,
 * as the SDK drops undefined inputs) plus the `__provider` text the class writes.
 */
export async function registrationProps(props: LocationServiceProps): Promise<PropertyMap> {
  const result: PropertyMap = {};
  for (const [key, value] of Object.entries(props)) {
    if (value !== undefined) {
      result[key] = value;
    }
  }
  result.__provider = DYNAMIC_PROVIDER_SOURCE;
  return result;
}
