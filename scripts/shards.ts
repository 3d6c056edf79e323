// `npm run shards -- <up|preview|refresh|destroy> --shards <n> [--parallel-stacks <k>] [--stack-prefix <name>]`:
// the root project split across n stacks `<prefix>-00` … by `fleet:shard` (docs/fleet.md, "Sharding a fleet
// across stacks"), run through the Automation API against the dev simulator, as `npm run up` runs stack `dev`.
import { mkdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import {
  type ConfigMap,
  LocalWorkspace,
  type OpMap,
  PulumiCommand,
  type Stack,
} from "@pulumi/pulumi/automation";
import {
  type Fleet,
  FleetShardError,
  type FleetShard,
  formatFleetShard,
  loadFleet,
  parseFleetShard,
} from "../provider/fleet";
import type { RunningSimulator } from "../simulator";
import { DEV_STACK, devSimulatorPort, fleetFileOfStack } from "./devStack";
import {
  FLEET_COMMANDS,
  type FleetCommand,
  type FleetCommandOptions,
  devStackEnvironment,
  locatePulumi,
  simulatorConfig,
  startDevSimulator,
} from "./fleetCommand";
import { provisionPulumi } from "./provisionPulumi";

/** What `npm run shards` runs: one Pulumi command on every shard stack. */
export interface ShardsRun {
  /** The Pulumi command run on every stack. */
  command: FleetCommand;
  /** How many stacks the fleet is split into. */
  shards: number;
  /**
   * How many stacks run at once. They share this machine's firewall budget through the provider's ledger
   * (docs/client.md), so more at once only helps while the CPU, not the firewall, is the limit. @default 2
   */
  parallelStacks?: number;
  /** The stacks are `<stackPrefix>-00`, `<stackPrefix>-01`, … @default "dev" */
  stackPrefix?: string;
}

/** Options of {@link runShards}: those of `npm run up`, but for what Pulumi prints (a log file per stack). */
export type ShardsOptions = Omit<FleetCommandOptions, "onPulumiOutput" | "onSimulator">;

/** The stack of shard `index` of `count`: `dev-03`, zero-padded to at least two digits. */
export function shardStackName(prefix: string, index: number, count: number): string {
  return `${prefix}-${String(index).padStart(Math.max(2, String(count - 1).length), "0")}`;
}

/**
 * Runs `run.command` on stacks `<prefix>-00` … of the project, each with `fleet:shard` set to its own
 * `<index>/<count>`, at most `run.parallelStacks` at once, against the dev simulator (started once, seeded
 * with every stack's fleet file) in the local backend `.pulumi/`. Prints one line per stack as it ends; the
 * full output of each goes to `.pulumi/shards/<stack>.<command>.log`. Resolves to 0 when every stack succeeded.
 */
export async function runShards(run: ShardsRun, options: ShardsOptions = {}): Promise<number> {
  const projectRoot = options.projectRoot ?? join(__dirname, "..");
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  const logError = options.logError ?? ((line: string) => console.error(line));
  const parallelStacks = run.parallelStacks ?? 2;
  const stackPrefix = run.stackPrefix ?? DEV_STACK;

  let shards: { stack: string; shard: FleetShard }[];
  let fleets: Fleet[];
  try {
    // parseFleetShard checks the count once, with the message fleet:shard would give.
    parseFleetShard(`0/${run.shards}`);
    shards = Array.from({ length: run.shards }, (_, index) => ({
      stack: shardStackName(stackPrefix, index, run.shards),
      shard: { index, count: run.shards },
    }));
    const files = new Set(shards.map(({ stack }) => fleetFileOfStack(projectRoot, stack)));
    fleets = [...files].map((file) => loadFleet(file, { fileName: relative(projectRoot, file) }));
  } catch (error) {
    logError((error as Error).message);
    return 1;
  }

  let pulumi: string;
  let simulator: RunningSimulator;
  try {
    pulumi = await locatePulumi(env, log, options.provision ?? ((env, log) => provisionPulumi({ env, log })));
    simulator = await startDevSimulator(projectRoot, fleets, {
      port: options.simulatorPort ?? devSimulatorPort(env),
      command: `npm run shards -- ${run.command}`,
      log,
    });
  } catch (error) {
    logError((error as Error).message);
    return 1;
  }
  try {
    const logDirectory = join(projectRoot, ".pulumi", "shards");
    mkdirSync(logDirectory, { recursive: true });
    const envVars = definedOnly(
      devStackEnvironment({ ...env, PATH: `${dirname(pulumi)}${delimiter}${env.PATH ?? ""}` }, projectRoot),
    );
    const pulumiCommand = await PulumiCommand.get({ root: dirname(dirname(pulumi)), skipVersionCheck: true });
    const { plain, secret } = simulatorConfig(simulator);
    const config: ConfigMap = {};
    for (const [key, value] of Object.entries(plain)) config[key] = { value };
    for (const [key, value] of Object.entries(secret)) config[key] = { value, secret: true };

    log(
      `Pulumi: ${run.command} on ${shards.length} stacks (${shards[0].stack} … ${shards[shards.length - 1].stack}), ` +
        `${parallelStacks} at once, in the local backend .pulumi/`,
    );
    let failed = 0;
    await forEachBounded(shards, parallelStacks, async ({ stack: stackName, shard }) => {
      const started = Date.now();
      let output = "";
      const label = `${stackName} (shard ${formatFleetShard(shard)}): ${run.command}`;
      const logFile = join(logDirectory, `${stackName}.${run.command}.log`);
      try {
        const stack = await LocalWorkspace.createOrSelectStack(
          { stackName, workDir: projectRoot },
          { workDir: projectRoot, pulumiCommand, envVars },
        );
        await stack.setAllConfig({ ...config, "fleet:shard": { value: formatFleetShard(shard) } });
        const changes = await runCommand(stack, run.command, (text) => (output += text));
        log(`${label} succeeded in ${seconds(started)}: ${describeChanges(changes)}`);
      } catch (error) {
        failed += 1;
        output += `\n${(error as Error).message}`;
        log(`${label} failed after ${seconds(started)}: ${firstError((error as Error).message)}`);
        log(`  its output: ${relative(projectRoot, logFile)}`);
      } finally {
        writeFileSync(logFile, output);
      }
    });
    log(`${shards.length - failed} of ${shards.length} stacks succeeded.`);
    return failed === 0 ? 0 : 1;
  } finally {
    await simulator.close();
  }
}

/** Runs `command` on `stack` as `npm run <command>` would, and resolves to its resource changes. */
async function runCommand(
  stack: Stack,
  command: FleetCommand,
  onOutput: (text: string) => void,
): Promise<OpMap> {
  const hooks = { onOutput, onError: onOutput };
  switch (command) {
    case "up":
      return (await stack.up(hooks)).summary.resourceChanges ?? {};
    case "preview":
      return (await stack.preview(hooks)).changeSummary;
    // As `npm run refresh` and `npm run destroy`: with the program, so the stack's config as it is now.
    case "refresh":
      return (await stack.refresh({ ...hooks, runProgram: true })).summary.resourceChanges ?? {};
    case "destroy":
      return (await stack.destroy({ ...hooks, runProgram: true })).summary.resourceChanges ?? {};
  }
}

/** Calls `work` on every item, at most `limit` at once, in order of the items. */
async function forEachBounded<Item>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function describeChanges(changes: OpMap): string {
  const counts = Object.entries(changes).filter(([, count]) => (count ?? 0) > 0);
  return counts.length === 0 ? "no resources" : counts.map(([op, count]) => `${op} ${count}`).join(", ");
}

// The CLI's own `error:` line says what went wrong; the rest of its message is the whole output.
function firstError(message: string): string {
  const lines = message.split("\n").map((line) => line.trim());
  return lines.find((line) => /^error:/.test(line) && !/^error: update failed/.test(line)) ?? lines[0];
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The usage line of `npm run shards`. */
export const SHARDS_USAGE =
  `Usage: npm run shards -- <${FLEET_COMMANDS.join("|")}> --shards <n> [--parallel-stacks <k>] ` +
  `[--stack-prefix <name>]`;

/** Reads `npm run shards`'s arguments. Throws an Error that says what to write on anything else. */
export function parseShardsArgs(argv: readonly string[]): ShardsRun {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      shards: { type: "string" },
      "parallel-stacks": { type: "string", default: "2" },
      "stack-prefix": { type: "string", default: DEV_STACK },
    },
  });
  const [command, ...rest] = positionals;
  if (!(FLEET_COMMANDS as readonly string[]).includes(command) || rest.length > 0) {
    throw new Error(`Which command? ${SHARDS_USAGE}`);
  }
  const whole = (name: string, text: string | undefined): number => {
    if (text === undefined || !/^[1-9]\d*$/.test(text)) {
      throw new Error(
        `--${name} must be a whole number from 1; got ${JSON.stringify(text ?? "")}. ${SHARDS_USAGE}`,
      );
    }
    return Number(text);
  };
  const shards = whole("shards", values.shards);
  try {
    parseFleetShard(`0/${shards}`);
  } catch (error) {
    if (error instanceof FleetShardError)
      throw new Error(`--shards ${shards}: ${error.message}`, { cause: error });
    throw error;
  }
  return {
    command: command as FleetCommand,
    shards,
    parallelStacks: whole("parallel-stacks", values["parallel-stacks"]),
    stackPrefix: values["stack-prefix"],
  };
}

if (require.main === module) {
  // The Automation API runs Pulumi with this process's environment under the one it is given: drop what
  // devStackEnvironment drops, so a real Plume credential in the shell never reaches the simulator's stacks.
  const env = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (name.startsWith("PLUME_") || name === "PULUMI_CONFIG_PASSPHRASE_FILE") delete process.env[name];
  }
  let run: ShardsRun;
  try {
    run = parseShardsArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  runShards(run, { env }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exitCode = 1;
    },
  );
}
