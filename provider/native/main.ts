// The `pulumi-resource-plume` plugin process: serves the ResourceProvider service on a free loopback port and
// prints the port on stdout, as the engine expects of a plugin (it passes its own address as the first
// argument; this provider does not call back). Stops on SIGINT or SIGTERM once calls in flight are answered.
import * as grpc from "@grpc/grpc-js";
import { LocationService } from "../core/locationService";
import { addPlumeProviderService, PlumeProviderService } from "./server";

/** How long calls in flight may take to finish after a stop signal before the server drops them. */
const SHUTDOWN_GRACE_MS = 5_000;

/** Larger than gRPC's 4 MiB default, as the engine's own limit: a schema or state can be big. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/** Starts the plugin's gRPC server on 127.0.0.1 and resolves with it and its port. */
export async function startPlugin(): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  addPlumeProviderService(server, new PlumeProviderService(() => new LocationService()));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return { server, port };
}

/** Runs the plugin until a stop signal. */
export async function main(): Promise<void> {
  const { server, port } = await startPlugin();
  process.stdout.write(`${port}\n`);
  const stop = () => {
    const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.tryShutdown(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`pulumi-resource-plume: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
