/** Options of a test-engine run, their defaults, and the one function that applies and checks them. */
import { isAbsolute, resolve } from "node:path";

import { EngineError } from "./errors";
import type { StepRecord } from "./steps";
import type { StackState } from "./state";

/** What a run does, named after the Pulumi command it stands for. */
export type RunMode = "up" | "preview" | "refresh" | "destroy";

/** Options of {@link runProgram} and {@link startRun}. */
export interface RunProgramOptions {
  /**
   * The Pulumi project directory (where `Pulumi.yaml` is): the program's root directory. The program and
   * the dynamic-provider host run in the directory of `main`, as with the CLI.
   */
  projectDir: string;
  /**
   * The program to run instead of `Pulumi.yaml`'s `main`, relative to `projectDir` or absolute; a file's
   * directory becomes the working directory.
   * @default `main` from Pulumi.yaml, or the project directory itself
   */
  program?: string;
  /** @default "up" */
  mode?: RunMode;
  /** @default "dev" */
  stack?: string;
  /** @default "organization" (what the CLI uses with a local backend) */
  organization?: string;
  /**
   * Stack config, as `pulumi config set` would store it. Keys without a namespace get the project's
   * (`fleetFile` means `<project>:fleetFile`); values that are not strings are stored as JSON.
   * @default {}
   */
  config?: Record<string, unknown>;
  /**
   * Config keys set with `--secret`: the program and the provider receive them as secrets.
   * @default []
   */
  secretConfigKeys?: string[];
  /**
   * The checkpoint left by the previous run. Ignored when `stateFile` is given.
   * @default an empty stack
   */
  state?: StackState;
  /**
   * A JSON file holding the checkpoint: read before the run (missing means empty) and written after it,
   * also when the run failed, as the engine checkpoints every completed step.
   */
  stateFile?: string;
  /**
   * Environment of the program and of the provider host, on top of this process's environment minus
   * every `PLUME_*` variable (so a developer's shell cannot change a test). `undefined` removes a variable.
   * @default {}
   */
  env?: Record<string, string | undefined>;
  /**
   * How many resource operations run at once (`pulumi up --parallel`), also passed to the program.
   * @default 16
   */
  parallel?: number;
  /**
   * Refresh before running the program (`pulumi up --refresh`); only for "up" and "preview".
   * @default false
   */
  refresh?: boolean;
  /**
   * Type-check the TypeScript program as the CLI does by default, instead of transpiling only.
   * @default false (the suite type-checks the program once with `npm run typecheck`)
   */
  typeCheck?: boolean;
  /**
   * Extra arguments for the program's `node` process (the CLI passes `runtime.options.nodeargs`).
   * @default []
   */
  nodeArgs?: string[];
  /**
   * How long the whole run may take before the program is killed and the run fails.
   * @default 120000
   */
  timeoutMs?: number;
  /** Called after every completed (or failed) resource step: lets a test act mid-run. */
  onStep?: (step: StepRecord) => void;
}

/** {@link RunProgramOptions} with every default applied. */
export type ResolvedRunOptions = Required<
  Omit<RunProgramOptions, "program" | "state" | "stateFile" | "onStep">
> &
  Pick<RunProgramOptions, "program" | "state" | "stateFile" | "onStep">;

const modes: RunMode[] = ["up", "preview", "refresh", "destroy"];

/** Applies the defaults and checks the options, reporting every problem at once. */
export function resolveRunOptions(options: RunProgramOptions): ResolvedRunOptions {
  const resolved: ResolvedRunOptions = {
    projectDir: options.projectDir ? resolve(options.projectDir) : "",
    program: options.program,
    mode: options.mode ?? "up",
    stack: options.stack ?? "dev",
    organization: options.organization ?? "organization",
    config: options.config ?? {},
    secretConfigKeys: options.secretConfigKeys ?? [],
    state: options.state,
    stateFile: options.stateFile,
    env: options.env ?? {},
    parallel: options.parallel ?? 16,
    refresh: options.refresh ?? false,
    typeCheck: options.typeCheck ?? false,
    nodeArgs: options.nodeArgs ?? [],
    timeoutMs: options.timeoutMs ?? 120_000,
    onStep: options.onStep,
  };
  const problems: string[] = [];
  if (!options.projectDir) {
    problems.push("projectDir is required");
  }
  if (!modes.includes(resolved.mode)) {
    problems.push(`mode must be one of ${modes.join(", ")}, got ${JSON.stringify(resolved.mode)}`);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(resolved.stack)) {
    problems.push(`stack must be a plain stack name, got ${JSON.stringify(resolved.stack)}`);
  }
  if (!Number.isInteger(resolved.parallel) || resolved.parallel < 1) {
    problems.push(`parallel must be a positive integer, got ${resolved.parallel}`);
  }
  if (!(resolved.timeoutMs > 0)) {
    problems.push(`timeoutMs must be positive, got ${resolved.timeoutMs}`);
  }
  if (resolved.refresh && (resolved.mode === "refresh" || resolved.mode === "destroy")) {
    problems.push(
      `refresh only applies to the "up" and "preview" modes, not ${JSON.stringify(resolved.mode)}`,
    );
  }
  if (resolved.stateFile && !isAbsolute(resolved.stateFile)) {
    resolved.stateFile = resolve(resolved.stateFile);
  }
  for (const key of resolved.secretConfigKeys) {
    if (!(key in resolved.config) && !(key.split(":").pop()! in resolved.config)) {
      problems.push(`secretConfigKeys names ${JSON.stringify(key)}, which is not in config`);
    }
  }
  if (problems.length > 0) {
    throw new EngineError(
      `invalid test-engine options: ${problems.join("; ")}`,
      "Fix the options passed to runProgram.",
    );
  }
  return resolved;
}

/** The stack config as the language host hands it over: `namespace:key` to string. */
export function stackConfig(project: string, config: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    const fullKey = key.includes(":") ? key : `${project}:${key}`;
    result[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return result;
}
