/**
 * One `pulumi up | preview | refresh | destroy`, emulated: the real program runs through
 * `@pulumi/pulumi/cmd/run` against our resource monitor, and every dynamic resource goes through the
 * real dynamic-provider host. See docs/testing.md for what this does and does not cover.
 */
import { DefaultProvider } from "./defaultProvider";
import { Deployment } from "./deployment";
import { programLocation, readPulumiProject, startProgram, type ProgramProcess } from "./languageHost";
import { resolveRunOptions, stackConfig, type ResolvedRunOptions, type RunProgramOptions } from "./options";
import { startResourceMonitor, type ResourceMonitorServer } from "./resourceMonitor";
import { cloneState, emptyState, readStateFile, writeStateFile, type StackState } from "./state";
import { countOperations, type RunResult } from "./steps";

/** A run in progress. */
export interface EngineRun {
  /** Settles when the run is over; never rejects for a failed deployment (see `RunResult.errors`). */
  result: Promise<RunResult>;
  /**
   * Kills the dynamic-provider host with SIGKILL, as a crash would. Steps in flight and later steps fail,
   * the run ends with errors, and the checkpoint keeps every step completed before.
   */
  killProviderHost(): Promise<void>;
}

/** Starts a run; see {@link runProgram} to simply wait for it. Throws at once for invalid options. */
export function startRun(options: RunProgramOptions): EngineRun {
  const resolved = resolveRunOptions(options);
  let provider: DefaultProvider | undefined;
  let killRequested = false;
  const providerReady = (created: DefaultProvider): void => {
    provider = created;
    if (killRequested) {
      void created.kill();
    }
  };
  return {
    result: execute(resolved, providerReady),
    async killProviderHost() {
      killRequested = true;
      await provider?.kill();
    },
  };
}

/** Runs the program (or refresh, or destroy) to the end and returns what happened. */
export function runProgram(options: RunProgramOptions): Promise<RunResult> {
  return startRun(options).result;
}

async function loadState(options: ResolvedRunOptions): Promise<StackState> {
  if (options.stateFile) {
    return readStateFile(options.stateFile);
  }
  return cloneState(options.state ?? emptyState());
}

function withoutPlumeVariables(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("PLUME_")));
}

async function execute(
  options: ResolvedRunOptions,
  providerReady: (provider: DefaultProvider) => void,
): Promise<RunResult> {
  const started = Date.now();
  const project = await readPulumiProject(options.projectDir);
  const location = programLocation(options.projectDir, options.program ?? project.main);
  const oldState = await loadState(options);
  const config = stackConfig(project.name, options.config);
  const secretConfigKeys = options.secretConfigKeys.map((key) =>
    key.includes(":") ? key : `${project.name}:${key}`,
  );
  const env = { ...withoutPlumeVariables(process.env), ...options.env };
  const provider = new DefaultProvider({
    cwd: location.pwd,
    stack: options.stack,
    project: project.name,
    config,
    secretConfigKeys,
    env: options.env,
  });
  providerReady(provider);
  const isPreview = options.mode === "preview";
  const deployment = new Deployment({
    stack: options.stack,
    project: project.name,
    dryRun: isPreview,
    parallel: options.parallel,
    oldState: cloneState(oldState),
    provider,
    onStep: options.onStep,
  });
  const monitor = await startResourceMonitor(deployment);
  let program: ProgramProcess | undefined;
  let exitCode: number | string | undefined;
  const timer = setTimeout(() => {
    deployment.fail(`the run took longer than ${options.timeoutMs} ms and was stopped`);
    program?.child.kill("SIGKILL");
  }, options.timeoutMs);
  try {
    if (options.mode === "refresh" || options.refresh) {
      await deployment.refresh();
    }
    if (options.mode === "destroy") {
      await deployment.destroy();
    } else if (options.mode !== "refresh" && deployment.succeeded) {
      program = startProgram({
        projectDir: options.projectDir,
        project,
        location,
        stack: options.stack,
        organization: options.organization,
        config,
        secretConfigKeys,
        dryRun: isPreview,
        parallel: options.parallel,
        monitorAddress: monitor.address,
        typeCheck: options.typeCheck,
        nodeArgs: options.nodeArgs,
        env,
      });
      const running = program;
      const outcome = await Promise.race([
        running.exited,
        deployment.whenStopped.then(() => "stopped" as const),
      ]);
      if (outcome === "stopped") {
        exitCode = await cancelProgram(running, deployment, monitor);
      } else {
        exitCode = outcome;
      }
      if (exitCode === 0 && deployment.succeeded) {
        await deployment.finishProgram();
      } else if (deployment.succeeded) {
        // What the CLI would show: the errors the program logged, else what it printed.
        const logged = deployment.logs
          .filter((line) => line.severity === "error")
          .map((line) => line.message);
        const shown = logged.length > 0 ? logged.join("\n") : lastLines(program.stderr() || program.stdout());
        deployment.fail(`the program exited with ${exitCode}: ${shown}`);
      }
    }
  } catch (error) {
    deployment.fail(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    await monitor.close();
  }
  // Stop the host before reading its logs: only then has everything it printed arrived.
  await provider
    .close()
    .catch((error: unknown) => deployment.fail(`stopping the provider host: ${String(error)}`));
  const providerLogs = await provider.logs();
  const state = isPreview ? oldState : deployment.newState();
  if (options.stateFile && !isPreview) {
    await writeStateFile(options.stateFile, state);
  }
  return {
    mode: options.mode,
    ok: deployment.succeeded,
    steps: deployment.steps,
    counts: countOperations(deployment.steps),
    outputs: deployment.stackOutputs,
    logs: [...deployment.logs.filter((line) => line.severity !== "debug"), ...providerLogs],
    stdout: program?.stdout() ?? "",
    stderr: program?.stderr() ?? "",
    ...(exitCode !== undefined ? { exitCode } : {}),
    errors: deployment.errors,
    state,
    durationMs: Date.now() - started,
  };
}

/** How long a cancelled program may take to exit before it is killed. */
const cancelGraceMs = 2000;

/**
 * What the engine does after a failed step: it lets the steps in flight finish, closes the monitor so
 * the program's pending and later registrations fail, and waits for the program to exit (killing it
 * if it does not).
 */
async function cancelProgram(
  program: ProgramProcess,
  deployment: Deployment,
  monitor: ResourceMonitorServer,
): Promise<number | string> {
  await deployment.settle();
  monitor.cancel();
  const killer = setTimeout(() => program.child.kill("SIGKILL"), cancelGraceMs);
  try {
    return await program.exited;
  } finally {
    clearTimeout(killer);
  }
}

function lastLines(text: string, count = 20): string {
  return text.trim().split("\n").slice(-count).join("\n");
}
