// The fixed facts of the local dev stack that `npm run up` and friends run against the simulator.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { quoteForMessage } from "../provider/client/quote";

/** The stack `npm run up` selects or creates. */
export const DEV_STACK = "dev";

/**
 * The passphrase of the dev stack's secrets. Not a secret: it only protects the simulator's well-known
 * client secret in a state file that never leaves the machine. Real stacks use their own passphrase or a
 * cloud secrets provider.
 */
export const DEV_PASSPHRASE = "pulumi-plume-dev-passphrase";

/**
 * The port of the dev stack's simulator. Fixed, because its address is stack config (`plume:apiUrl`): a new
 * port on every run would change the config, and so the default provider, of every run. Override it with
 * `PLUME_SIM_PORT` when 4020 is taken, and keep using the same one. @default 4020
 */
export const DEV_SIMULATOR_PORT = 4020;

/** The dev simulator's port: `PLUME_SIM_PORT` from `env`, else {@link DEV_SIMULATOR_PORT}. Throws on a bad value. */
export function devSimulatorPort(env: NodeJS.ProcessEnv): number {
  const configured = env.PLUME_SIM_PORT;
  if (configured === undefined || configured === "") return DEV_SIMULATOR_PORT;
  const port = Number(configured);
  if (!/^\d+$/.test(configured) || port < 1 || port > 65535) {
    throw new Error(`PLUME_SIM_PORT must be a TCP port from 1 to 65535; got ${quoteForMessage(configured)}.`);
  }
  return port;
}

/** Where the dev stack's state lives (a local backend inside the project, gitignored). */
export function devBackendUrl(projectRoot: string): string {
  return `file://${join(projectRoot, ".pulumi")}`;
}

/** Where the simulator keeps its customers and locations between runs (gitignored). */
export function simulatorStateFile(projectRoot: string): string {
  return join(projectRoot, ".sim", "state.json");
}

/**
 * The fleet file the program will read for `stack`: `fleet:file` from `Pulumi.<stack>.yaml` when set there,
 * else `fleet.yaml`, relative to the project root (exactly as program/index.ts resolves it).
 */
export function fleetFileOfStack(projectRoot: string, stack: string): string {
  const stackFile = join(projectRoot, `Pulumi.${stack}.yaml`);
  let configured: unknown;
  if (existsSync(stackFile)) {
    const document = parse(readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null;
    configured = document?.config?.["fleet:file"];
  }
  return resolve(
    projectRoot,
    typeof configured === "string" && configured !== "" ? configured : "fleet.yaml",
  );
}
