/**
 * What `pulumi-language-nodejs` does for a run: reads `Pulumi.yaml`, then starts
 * `@pulumi/pulumi/cmd/run` from the project's own `node_modules` in a child Node.js process, with the
 * same flags and environment variables, so the real SDK runs the real program against our monitor.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";

import { forgetChildProcess, killOnExit } from "./childProcesses";
import { EngineError } from "./errors";

/** The parts of `Pulumi.yaml` a run needs. */
export interface PulumiProject {
  name: string;
  /** The program entry point relative to the project directory; `.` when `main` is absent. */
  main: string;
  /** `runtime.options.typescript`; Pulumi's default is true. */
  typescript: boolean;
  /** `runtime.options.nodeargs`, split into arguments. */
  nodeArgs: string[];
}

/** Reads and checks `<projectDir>/Pulumi.yaml`. */
export async function readPulumiProject(projectDir: string): Promise<PulumiProject> {
  const path = join(projectDir, "Pulumi.yaml");
  let document: unknown;
  try {
    document = parseYaml(await readFile(path, "utf8"));
  } catch (error) {
    throw new EngineError(
      `cannot read ${path}: ${(error as Error).message}`,
      "Point projectDir at a Pulumi project.",
    );
  }
  const project = (document ?? {}) as {
    name?: unknown;
    main?: unknown;
    runtime?: string | { name?: string; options?: { typescript?: boolean; nodeargs?: string } };
  };
  const runtimeName = typeof project.runtime === "string" ? project.runtime : project.runtime?.name;
  if (typeof project.name !== "string" || runtimeName !== "nodejs") {
    throw new EngineError(
      `${path} must have a string 'name' and the 'nodejs' runtime`,
      "The test engine only runs Node.js Pulumi projects.",
    );
  }
  const options = typeof project.runtime === "object" ? project.runtime.options : undefined;
  return {
    name: project.name,
    main: typeof project.main === "string" ? project.main : ".",
    typescript: options?.typescript ?? true,
    nodeArgs: options?.nodeargs ? options.nodeargs.split(/\s+/).filter(Boolean) : [],
  };
}

/** Where the program runs: its working directory and its entry point relative to it. */
export interface ProgramLocation {
  pwd: string;
  main: string;
}

/**
 * The CLI's rule for `main`: a directory becomes the working directory (entry point `.`), a file's
 * directory becomes the working directory (entry point its base name). Plugins run there too.
 */
export function programLocation(projectDir: string, main: string): ProgramLocation {
  if (main === ".") {
    return { pwd: projectDir, main: "." };
  }
  const target = resolve(projectDir, main);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    throw new EngineError(
      `the program ${target} does not exist`,
      "Check `main` in Pulumi.yaml or the program option.",
    );
  }
  return isDirectory ? { pwd: target, main: "." } : { pwd: dirname(target), main: basename(target) };
}

/** How to start the program. */
export interface LanguageHostOptions {
  /** The project directory (Pulumi.yaml), passed as `--root-directory`. */
  projectDir: string;
  project: PulumiProject;
  location: ProgramLocation;
  stack: string;
  organization: string;
  /** The stack config, `namespace:key` to string value. */
  config: Record<string, string>;
  secretConfigKeys: string[];
  dryRun: boolean;
  parallel: number;
  monitorAddress: string;
  /** Type-check the program with ts-node (the CLI's default) instead of transpiling only. */
  typeCheck: boolean;
  env: Record<string, string | undefined>;
  /** Extra arguments for the program's `node` process. */
  nodeArgs: string[];
}

/** A started program: its process, its output so far, and its exit. */
export interface ProgramProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name) once the program ends. */
  exited: Promise<number | string>;
}

/** Starts the program the way the Node.js language host does. */
export function startProgram(options: LanguageHostOptions): ProgramProcess {
  const runner = require.resolve("@pulumi/pulumi/cmd/run", { paths: [options.projectDir] });
  const args = [
    ...options.project.nodeArgs,
    ...options.nodeArgs,
    runner,
    `--monitor=${options.monitorAddress}`,
    `--engine=${options.monitorAddress}`,
    `--organization=${options.organization}`,
    `--project=${options.project.name}`,
    `--stack=${options.stack}`,
    `--pwd=${options.location.pwd}`,
    `--root-directory=${options.projectDir}`,
    `--parallel=${options.parallel}`,
    ...(options.dryRun ? ["--dry-run"] : []),
    options.location.main,
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.location.pwd,
    env: {
      ...options.env,
      PULUMI_CONFIG: JSON.stringify(options.config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretConfigKeys),
      PULUMI_NODEJS_TYPESCRIPT: String(options.project.typescript),
      PULUMI_NODEJS_TRANSPILE_ONLY: String(!options.typeCheck),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  killOnExit(child.pid);
  child.once("close", () => forgetChildProcess(child.pid));
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}
