// Starts the `pulumi-resource-plume` plugin the way the engine does (its launcher, the engine's address as the
// argument, the port read from the first line of stdout) and speaks ResourceProvider gRPC to it.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as structProto from "google-protobuf/google/protobuf/struct_pb";

/** The launcher, as a program's `plugins.providers[].path` would point the engine at it. */
export const LAUNCHER = path.join(__dirname, "..", "..", "bin", "pulumi-resource-plume");

/** A failed call: `details` is what the engine would show the user. */
export class PluginCallError extends Error {
  override readonly name = "PluginCallError";

  constructor(
    readonly method: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(`${method} failed (gRPC status ${code}): ${details}`);
  }
}

/** A running plugin process and a client connected to it. Always {@link PluginProcess.close} it. */
export class PluginProcess {
  /** Every error message the plugin answered, to check that no secret ever leaves it. */
  readonly errors: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
    private readonly output: { stdout: string; stderr: string },
  ) {}

  /** Spawns the launcher with `env` (no inherited PLUME_* variable) and connects once it prints its port. */
  static async start(env: Record<string, string> = {}): Promise<PluginProcess> {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !name.startsWith("PLUME_")),
    );
    const child = spawn(LAUNCHER, ["127.0.0.1:1"], {
      env: { ...inherited, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = { stdout: "", stderr: "" };
    child.stderr?.on("data", (chunk: Buffer) => (output.stderr += chunk.toString("utf8")));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        output.stdout += chunk.toString("utf8");
        const match = /^(\d+)\n/.exec(output.stdout);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", (code) =>
        reject(new Error(`the plugin exited (${code}) before listening: ${output.stderr}`)),
      );
    });
    const client = new providerGrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new PluginProcess(child, client, output);
  }

  /** Everything the plugin printed, after its port. */
  get printed(): string {
    return this.output.stdout.replace(/^\d+\n/, "") + this.output.stderr;
  }

  /** Calls `method` (`getSchema`, `check`, ...) with `request`; a failure rejects with a {@link PluginCallError}. */
  call<Response>(method: string, request: unknown): Promise<Response> {
    const client = this.client as unknown as Record<
      string,
      (request: unknown, callback: (error: grpc.ServiceError | null, response: Response) => void) => void
    >;
    return new Promise((resolve, reject) =>
      client[method].call(this.client, request, (error, response) => {
        if (!error) return resolve(response);
        this.errors.push(error.details);
        reject(new PluginCallError(method, error.code, error.details));
      }),
    );
  }

  /** Stops the plugin with SIGTERM, as the engine does, and resolves with its exit code. */
  async close(): Promise<number | null> {
    this.client.close();
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill("SIGTERM");
    return exited;
  }
}

/** Property values as a Struct, as the engine encodes them. */
export function struct(values: Record<string, unknown>): structProto.Struct {
  return structProto.Struct.fromJavaScript(values as Record<string, structProto.JavaScriptValue>);
}

/** A secret value as the engine encodes it. */
export function secret(value: unknown): Record<string, unknown> {
  return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}
