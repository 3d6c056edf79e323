// The real Pulumi CLI, driven through the Automation API, for end-to-end tests: a stack of a scratch copy of
// a Pulumi project (so stack settings files never land in the repository) in a `file://` backend of its own.
//
//   const stack = await TestStack.create({ program: "program/index.ts", config: {...}, secretConfig: {...} });
//   const run = await stack.up();           // run.counts.create, run.steps, run.diagnostics, run.outputs
//   await stack.preview(); await stack.refresh(); await stack.destroy();
//   stack.stateText();                      // the checkpoint file as the backend wrote it
//
// The CLI is the one `npm run provision` installs (built from source on the first run, then reused).
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import {
  CommandError,
  type ConfigMap,
  type EngineEvent,
  LocalWorkspace,
  PulumiCommand,
  type Stack,
  type StepEventMetadata,
} from "@pulumi/pulumi/automation";
import { provisionPulumi } from "../../scripts/provisionPulumi";

/** The repository root. */
export const repoRoot = resolve(__dirname, "..", "..");

/** The passphrase of every test stack's secrets (the state files live in scratch directories). */
export const TEST_PASSPHRASE = "pulumi-plume-test-passphrase";

let command: Promise<PulumiCommand> | undefined;

/** The provisioned Pulumi CLI (provisioned once per process; instant when it is installed). */
export function pulumiCommand(): Promise<PulumiCommand> {
  command ??= provisionPulumi().then((root) => PulumiCommand.get({ root }));
  return command;
}

/** The path of the provisioned `pulumi` executable. */
export async function pulumiExecutable(): Promise<string> {
  return (await pulumiCommand()).command;
}

/** A resource operation as the engine reported it. */
export interface StepEvent {
  op: string;
  urn: string;
  type: string;
  /** The resource's name (the URN's last part). */
  name: string;
  /** The resource id after the step (before it for a delete), when the engine reported one. */
  id?: string;
  /**
   * The inputs whose values differ between the old and the new state of the step (`__provider` aside), sorted:
   * what `pulumi preview --diff` shows. (The engine's own `diffs` stay empty for dynamic resources: SDK 3.248's
   * dynamic-provider host reports whether something changed, not which keys.)
   */
  changedKeys: string[];
  /**
   * The engine's own diff of the step: each changed property and its kind (`update`, `update-replace`, ...),
   * as a provider's detailed diff reports it. Empty for dynamic resources (see `changedKeys`).
   */
  detailedDiff: Record<string, string>;
}

/** The outcome of one CLI command. */
export interface StackRun {
  ok: boolean;
  /** Resources by operation, from the engine's summary (`same`, `create`, `update`, `delete`, `replace`, …). */
  counts: Record<string, number>;
  /** Completed steps (for a preview: planned ones), except the stack and provider resources. */
  steps: StepEvent[];
  /** Steps that failed. */
  failed: StepEvent[];
  /** How long the command took, in milliseconds. */
  durationMs: number;
  /** Diagnostic messages (warnings, errors, info from the program and the provider). */
  diagnostics: { severity: string; message: string; urn?: string }[];
  /** Stack outputs, for up. */
  outputs: Record<string, unknown>;
  stdout: string;
  stderr: string;
  /** The error message when the command failed. */
  error?: string;
}

/** Options of {@link TestStack.create}. */
export interface TestStackOptions {
  /** The program (`main` of Pulumi.yaml), relative to the repository root. @default "program/index.ts" */
  program?: string;
  /** The project name. @default "pulumi-plume-fleet" */
  projectName?: string;
  /** Stack config in plain text. */
  config?: Record<string, string>;
  /** Stack config set with `--secret`. */
  secretConfig?: Record<string, string>;
  /** Extra environment of every CLI command (the program, the provider host). */
  env?: Record<string, string>;
  /** The stack name. @default "test" */
  stackName?: string;
  /**
   * An existing Pulumi project to run as it is (its own Pulumi.yaml, package.json and node_modules), instead
   * of a scratch project linked to this checkout; `program` and `projectName` are then ignored.
   * @default a scratch project
   */
  projectDir?: string;
  /**
   * A scratch project made of exactly these files (path relative to the project -> text), for programs of
   * other languages; `program` and `projectName` are then ignored.
   * @default a scratch project of the TypeScript program `program`
   */
  projectFiles?: Record<string, string>;
}

const STEP_OPS = new Set([
  "create",
  "update",
  "delete",
  "replace",
  "create-replacement",
  "delete-replaced",
  "read",
  "refresh",
  "same",
  "import",
]);

/**
 * A stack of a scratch Pulumi project: Pulumi.yaml naming `program` as main, with the repository's
 * `program/`, `provider/`, `test/` and `node_modules/` linked in, so the program, the shim and the provider
 * host load this checkout's code (or of an existing project, `projectDir`, as a user would run it). State goes
 * to a `file://` backend in the scratch directory.
 */
export class TestStack {
  private constructor(
    readonly stack: Stack,
    readonly workDir: string,
    /** The project directory (Pulumi.yaml, Pulumi.<stack>.yaml). */
    readonly projectDir: string,
    readonly backendDir: string,
    readonly env: Record<string, string>,
  ) {}

  static async create(options: TestStackOptions = {}): Promise<TestStack> {
    const workDir = mkdtempSync(join(tmpdir(), "plume-pulumi-"));
    const backendDir = join(workDir, "backend");
    mkdirSync(backendDir);
    const projectDir =
      options.projectDir ??
      (options.projectFiles ? writeFiles(join(workDir, "project"), options.projectFiles) : undefined) ??
      scratchProject(workDir, options);
    const env: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      PULUMI_HOME: join(workDir, "pulumi-home"),
      ...options.env,
    };
    const pulumi = await pulumiCommand();
    const stack = await LocalWorkspace.createStack(
      { stackName: options.stackName ?? "test", workDir: projectDir },
      { workDir: projectDir, pulumiCommand: pulumi, envVars: env },
    );
    const testStack = new TestStack(stack, workDir, projectDir, backendDir, env);
    await testStack.setConfig(options.config ?? {}, options.secretConfig ?? {});
    return testStack;
  }

  /** Sets stack config (plain and secret). */
  async setConfig(plain: Record<string, string>, secret: Record<string, string> = {}): Promise<void> {
    const config: ConfigMap = {};
    for (const [key, value] of Object.entries(plain)) config[key] = { value };
    for (const [key, value] of Object.entries(secret)) config[key] = { value, secret: true };
    if (Object.keys(config).length > 0) await this.stack.setAllConfig(config);
  }

  /** Makes `program` (relative to the repository root) the project's main from the next command on. */
  useProgram(program: string, projectName = DEFAULT_PROJECT): void {
    writeProjectFile(this.projectDir, projectName, program);
  }

  /** Removes stack config keys. */
  async removeConfig(...keys: string[]): Promise<void> {
    await this.stack.removeAllConfig(keys);
  }

  up(options: Parameters<Stack["up"]>[0] = {}): Promise<StackRun> {
    return this.capture(
      options,
      (hooks) => this.stack.up({ ...options, ...hooks }),
      (result) => result.outputs,
    );
  }

  preview(options: Parameters<Stack["preview"]>[0] = {}): Promise<StackRun> {
    return this.capture(options, (hooks) => this.stack.preview({ ...options, ...hooks }));
  }

  refresh(options: Parameters<Stack["refresh"]>[0] = {}): Promise<StackRun> {
    return this.capture(options, (hooks) => this.stack.refresh({ ...options, ...hooks }));
  }

  destroy(options: Parameters<Stack["destroy"]>[0] = {}): Promise<StackRun> {
    return this.capture(options, (hooks) => this.stack.destroy({ ...options, ...hooks }));
  }

  /**
   * Kills (SIGKILL) the dynamic-provider host this stack's running command started, as a crash of the
   * provider process would. The host is told apart from other stacks' by the backend in its environment (its
   * working directory is the program's, which stacks share). @returns how many processes were killed
   */
  killProviderHost(): number {
    const backend = `PULUMI_BACKEND_URL=${this.env.PULUMI_BACKEND_URL}\0`;
    let killed = 0;
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("cmd/dynamic-provider")) continue;
        if (!readFileSync(`/proc/${pid}/environ`, "utf8").includes(backend)) continue;
        process.kill(Number(pid), "SIGKILL");
        killed += 1;
      } catch {
        // The process ended meanwhile, or is not ours to read.
      }
    }
    return killed;
  }

  /**
   * Starts the CLI itself (not through the Automation API, which always skips the preview of up, refresh and
   * destroy) in the project, with this stack's environment.
   */
  async spawnCli(args: string[]): Promise<ChildProcessByStdio<null, Readable, Readable>> {
    const pulumi = await pulumiExecutable();
    return spawn(pulumi, [...args, "--stack", this.stack.name, "--non-interactive"], {
      cwd: this.projectDir,
      env: { ...process.env, ...this.env, PATH: `${dirname(pulumi)}${delimiter}${process.env.PATH ?? ""}` },
      stdio: ["ignore", "pipe", "pipe"],
    });
  }

  /** Runs the CLI with `args` (see {@link spawnCli}) and resolves to its exit code and output. */
  async cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = await this.spawnCli(args);
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, "close")) as [number | null];
    return { code, stdout, stderr };
  }

  /** The resources in the stack's state (the exported deployment). */
  async resources(): Promise<
    {
      urn: string;
      type: string;
      id?: string;
      inputs?: Record<string, unknown>;
      outputs?: Record<string, unknown>;
    }[]
  > {
    const exported = await this.stack.exportStack();
    return (exported.deployment as { resources?: [] }).resources ?? [];
  }

  /** The pending operations recorded in state (left by a crashed CLI). */
  async pendingOperations(): Promise<{ type: string; resource: { urn: string } }[]> {
    const exported = await this.stack.exportStack();
    return (exported.deployment as { pending_operations?: [] }).pending_operations ?? [];
  }

  /** Every file the backend wrote (checkpoint, history, backups), concatenated: for secret scans. */
  stateText(): string {
    return readTree(this.backendDir);
  }

  /** Removes the scratch directory (state included); an existing `projectDir` is left alone. */
  dispose(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private async capture<T>(
    options: { onEvent?: (event: EngineEvent) => void },
    run: (hooks: {
      onEvent: (event: EngineEvent) => void;
      onOutput: (out: string) => void;
      onError: (err: string) => void;
    }) => Promise<T>,
    outputsOf?: (result: T) => Record<string, { value: unknown }>,
  ): Promise<StackRun> {
    const started = Date.now();
    const failed: StepEvent[] = [];
    const steps: StepEvent[] = [];
    const diagnostics: StackRun["diagnostics"] = [];
    let counts: Record<string, number> = {};
    let stdout = "";
    let stderr = "";
    const onEvent = (event: EngineEvent) => {
      // A completed step (for a preview, a planned one).
      const completed = event.resOutputsEvent?.metadata;
      if (completed && STEP_OPS.has(completed.op) && !completed.type.startsWith("pulumi:")) {
        steps.push(stepOf(completed));
      }
      if (event.diagnosticEvent) {
        const { severity, message, urn } = event.diagnosticEvent;
        diagnostics.push({ severity, message: message.trim(), ...(urn ? { urn } : {}) });
      }
      const failure = event.resOpFailedEvent?.metadata;
      if (failure && !failure.type.startsWith("pulumi:")) failed.push(stepOf(failure));
      if (event.summaryEvent) counts = { ...event.summaryEvent.resourceChanges } as Record<string, number>;
      options.onEvent?.(event);
    };
    try {
      const result = await run({
        onEvent,
        onOutput: (out) => (stdout += out),
        onError: (err) => (stderr += err),
      });
      const outputs = outputsOf
        ? Object.fromEntries(Object.entries(outputsOf(result)).map(([key, output]) => [key, output.value]))
        : {};
      const durationMs = Date.now() - started;
      return { ok: true, counts, steps, failed, diagnostics, outputs, stdout, stderr, durationMs };
    } catch (error) {
      if (!(error instanceof CommandError)) throw error;
      const durationMs = Date.now() - started;
      return {
        ok: false,
        counts,
        steps,
        failed,
        diagnostics,
        outputs: {},
        stdout,
        stderr,
        durationMs,
        error: error.message,
      };
    }
  }
}

const DEFAULT_PROJECT = "pulumi-plume-fleet";

/** A step as {@link StackRun} reports it, from the engine's event metadata. */
function stepOf(metadata: StepEventMetadata): StepEvent {
  const state = metadata.new ?? metadata.old;
  const before = metadata.old?.inputs ?? {};
  const after = metadata.new?.inputs ?? {};
  const changedKeys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => key !== "__provider" && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return {
    op: metadata.op,
    urn: metadata.urn,
    type: metadata.type,
    name: metadata.urn.slice(metadata.urn.lastIndexOf("::") + 2),
    ...(state?.id ? { id: state.id } : {}),
    changedKeys: changedKeys.sort(),
    detailedDiff: Object.fromEntries(
      Object.entries(metadata.detailedDiff ?? {}).map(([key, diff]) => [key, diff.diffKind]),
    ),
  };
}

/** A project in `workDir` whose main is `options.program`, with this checkout's code linked in. */
function scratchProject(workDir: string, options: TestStackOptions): string {
  const projectDir = join(workDir, "project");
  mkdirSync(projectDir);
  writeProjectFile(projectDir, options.projectName ?? DEFAULT_PROJECT, options.program ?? "program/index.ts");
  for (const entry of [
    "program",
    "provider",
    "test",
    "node_modules",
    "tsconfig.json",
    "package.json",
    "dynamic-provider.js",
  ]) {
    symlinkSync(join(repoRoot, entry), join(projectDir, entry));
  }
  return projectDir;
}

function writeProjectFile(projectDir: string, projectName: string, program: string): void {
  writeFileSync(
    join(projectDir, "Pulumi.yaml"),
    `name: ${projectName}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: ${program}\n`,
  );
}

/** Writes `files` (relative path -> text) under `dir`; returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function readTree(dir: string): string {
  return listFiles(dir)
    .map((file) => readFileSync(file, "latin1"))
    .join("\n");
}
