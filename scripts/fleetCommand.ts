// `npm run up|preview|refresh|destroy`: the root project against a local simulator, with a local state
// backend and the dev stack, so a newcomer needs nothing but Node and Go (or the Pulumi CLI).
import { mkdirSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { type Fleet, loadFleet } from "../provider/fleet";
import { type RunningSimulator, startSimulator } from "../simulator";
import {
  DEV_PASSPHRASE,
  DEV_STACK,
  devBackendUrl,
  devSimulatorPort,
  fleetFileOfStack,
  simulatorStateFile,
} from "./devStack";
import { findExecutable, runPulumi } from "./pulumiCli";
import { PulumiProvisionError, provisionPulumi, pulumiInstallRoot, isProvisioned } from "./provisionPulumi";
import { seedMissingLocations } from "./seedSimulator";

/** The Pulumi commands these scripts wrap. */
export const FLEET_COMMANDS = ["up", "preview", "refresh", "destroy"] as const;

/** One of {@link FLEET_COMMANDS}. */
export type FleetCommand = (typeof FLEET_COMMANDS)[number];

/** Options of {@link runFleetCommand}. */
export interface FleetCommandOptions {
  /** The Pulumi project: where Pulumi.yaml, fleet.yaml, .pulumi/ and .sim/ are. @default the repository root */
  projectRoot?: string;
  /** The environment Pulumi is run in (PATH included). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go. @default console.log */
  log?: (line: string) => void;
  /** Where the error lines go. @default console.error */
  logError?: (line: string) => void;
  /** The simulator's port (0: any free one, for tests). @default `PLUME_SIM_PORT`, else 4020 */
  simulatorPort?: number;
  /** Receives Pulumi's output instead of the terminal. @default the terminal */
  onPulumiOutput?: (text: string) => void;
  /** Called with the dev simulator once it runs (to watch what it receives). @default none */
  onSimulator?: (simulator: RunningSimulator) => void;
  /** Installs the pinned Pulumi CLI and returns its installation root. @default {@link provisionPulumi} */
  provision?: (env: NodeJS.ProcessEnv, log: (line: string) => void) => Promise<string>;
}

// What each command adds to Pulumi's own arguments: no prompt where the command would ask for confirmation.
// Refresh and destroy run the program (`--run-program`), so they use the stack config as it is now, not as
// the last `up` stored it (docs/fleet.md); a refresh skips its preview, which would GET every location a
// second time.
const COMMAND_ARGS: Record<FleetCommand, string[]> = {
  up: ["up", "--yes"],
  preview: ["preview"],
  refresh: ["refresh", "--yes", "--skip-preview", "--run-program"],
  destroy: ["destroy", "--yes", "--run-program"],
};

/**
 * Runs `pulumi <command>` on the dev stack against a simulator: checks the Pulumi CLI is there, validates
 * the fleet file, starts the simulator (state in .sim/state.json, every fleet location present), selects or
 * creates stack `dev` in a local backend (.pulumi/), points `plume:*` config at the simulator, runs the
 * command with `extraArgs` appended, and stops the simulator. Resolves to Pulumi's exit code.
 */
export async function runFleetCommand(
  command: FleetCommand,
  extraArgs: readonly string[],
  options: FleetCommandOptions = {},
): Promise<number> {
  const projectRoot = options.projectRoot ?? join(__dirname, "..");
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const logError = options.logError ?? ((line: string) => console.error(line));

  let fleet: Fleet;
  try {
    const fleetFile = fleetFileOfStack(projectRoot, DEV_STACK);
    fleet = loadFleet(fleetFile, { fileName: relative(projectRoot, fleetFile) });
  } catch (error) {
    logError((error as Error).message);
    return 1;
  }

  let pulumi: string;
  try {
    pulumi = await locatePulumi(env, log, options.provision ?? ((env, log) => provisionPulumi({ env, log })));
  } catch (error) {
    logError(error instanceof PulumiProvisionError ? error.message : String((error as Error).stack));
    return 1;
  }

  let simulator: RunningSimulator;
  try {
    simulator = await startDevSimulator(projectRoot, [fleet], {
      port: options.simulatorPort ?? devSimulatorPort(env),
      command: `npm run ${command}`,
      log,
    });
  } catch (error) {
    logError((error as Error).message);
    return 1;
  }
  try {
    options.onSimulator?.(simulator);
    mkdirSync(join(projectRoot, ".pulumi"), { recursive: true });
    // The CLI's own directory first: its language host and dynamic-provider launcher are beside it.
    const pulumiEnv = devStackEnvironment(
      { ...env, PATH: `${dirname(pulumi)}${delimiter}${env.PATH ?? ""}` },
      projectRoot,
    );
    const run = (args: string[]) =>
      runPulumi(pulumi, args, { cwd: projectRoot, env: pulumiEnv, onOutput: options.onPulumiOutput });

    log(`Pulumi: stack ${DEV_STACK} in the local backend .pulumi/`);
    const selected = await run(["stack", "select", DEV_STACK, "--create", "--non-interactive"]);
    if (selected !== 0) return selected;
    const { plain, secret } = simulatorConfig(simulator);
    const configured = await run([
      "config",
      "set-all",
      "--stack",
      DEV_STACK,
      ...Object.entries(plain).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]),
      ...Object.entries(secret).flatMap(([key, value]) => ["--secret", `${key}=${value}`]),
    ]);
    if (configured !== 0) return configured;
    return await run([...COMMAND_ARGS[command], "--stack", DEV_STACK, ...extraArgs]);
  } finally {
    await simulator.close();
  }
}

/**
 * Starts the dev stack's simulator on `port` (state in .sim/state.json) and adds the locations of `fleets`
 * it does not hold yet, saying so through `log`. Rejects with a message that says what to do when the port
 * is taken (`command` is what the user ran, e.g. `npm run up`).
 */
export async function startDevSimulator(
  projectRoot: string,
  fleets: readonly Fleet[],
  options: { port: number; command: string; log: (line: string) => void },
): Promise<RunningSimulator> {
  const { port, command, log } = options;
  const stateFile = simulatorStateFile(projectRoot);
  const simulator = await startSimulator({ port, persistFile: stateFile }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE") throw error;
      throw new Error(
        `Port ${port} is in use, so the dev stack's simulator cannot start there (is another npm run up running?). ` +
          `Stop what holds it, or pick another port and keep using it: PLUME_SIM_PORT=<port> ${command}.`,
      );
    },
  );
  let added = 0;
  for (const fleet of fleets) added += seedMissingLocations(simulator.state, fleet.entries);
  const files = [...new Set(fleets.map((fleet) => fleet.file))].join(", ");
  log(
    `Plume simulator at ${simulator.url} (state in ${relative(projectRoot, stateFile)}` +
      (added > 0 ? `; added ${added} locations of ${files})` : ")"),
  );
  return simulator;
}

/** The `plume:*` stack config that points a stack at `simulator`: plain settings, and the client secret. */
export function simulatorConfig(simulator: RunningSimulator): {
  plain: Record<string, string>;
  secret: Record<string, string>;
} {
  const { clientId, clientSecret, partnerId } = simulator.credentials;
  return {
    plain: {
      "plume:apiUrl": simulator.url,
      "plume:tokenUrl": simulator.tokenUrl,
      "plume:clientId": clientId,
      "plume:partnerId": partnerId,
    },
    secret: { "plume:clientSecret": clientSecret },
  };
}

/**
 * The Pulumi CLI to run: `pulumi` on the PATH, else the pinned version where `npm run provision` puts it,
 * else that version provisioned now (built from source with Go, or Pulumi's installer), saying so.
 */
export async function locatePulumi(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  provision: NonNullable<FleetCommandOptions["provision"]>,
): Promise<string> {
  const onPath = findExecutable("pulumi", env.PATH);
  if (onPath !== undefined) return onPath;
  const root = pulumiInstallRoot(env);
  if (!isProvisioned(root))
    log(`The Pulumi CLI is not on the PATH; installing the pinned version in ${root} first.`);
  return join(await provision(env, log), "bin", "pulumi");
}

/**
 * The environment Pulumi runs in for the dev stack: the local backend and the dev passphrase win over the
 * caller's, and PLUME_* variables are dropped so a real Plume credential in the shell can neither reach
 * the simulator nor conflict with the stack's settings. {@link FLEET_SCALE_PULUMI_ENV} applies where the
 * caller did not choose. The program is transpiled without type checking
 * (`npm run typecheck` does that), which saves seconds on every run.
 */
export function devStackEnvironment(env: NodeJS.ProcessEnv, projectRoot: string): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith("PLUME_") || name === "PULUMI_CONFIG_PASSPHRASE_FILE") continue;
    result[name] = value;
  }
  result.PULUMI_BACKEND_URL = devBackendUrl(projectRoot);
  result.PULUMI_CONFIG_PASSPHRASE = DEV_PASSPHRASE;
  result.PULUMI_SKIP_UPDATE_CHECK = "true";
  result.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
  for (const [name, value] of Object.entries(FLEET_SCALE_PULUMI_ENV)) result[name] = env[name] ?? value;
  return result;
}

/**
 * The Pulumi settings a fleet needs (docs/performance.md), unless the caller's environment sets them: check
 * and diff of every location at once instead of one after another, and one checkpoint at the end of a
 * command instead of two full rewrites of the state around every step, which grow with the square of the
 * fleet. Every operation of this provider is idempotent, so a crash that loses the record of some completed
 * steps only means the next run repeats them.
 */
export const FLEET_SCALE_PULUMI_ENV: Readonly<Record<string, string>> = Object.freeze({
  PULUMI_PARALLEL_DIFF: "true",
  PULUMI_SKIP_CHECKPOINTS: "true",
});
