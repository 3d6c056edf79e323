// The Pulumi project the real-CLI benchmark runs, laid out as a user's project would be after `tsc`: the root
// program and the provider compiled to JavaScript (no ts-node in the program or the provider), the package
// installed in `node_modules/pulumi-plume`, and every other dependency linked from this repository. On the
// native door, the generated SDK compiled into `node_modules/@pulumi-plume/plume` and the `plume` plugin laid
// out as its tarball is (launcher, compiled provider, package.json, node_modules).
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildNodejsSdk } from "../scripts/sdk";
import { linkRepositoryModules } from "../support/projectModules";
import { writeCompiledPackage } from "./install";
import { transpileFile, transpileTree } from "./transpile";

/** Which program a bench project runs. */
export type BenchProgram = "plume" | "do-nothing";

/** Which door of pulumi-plume a program goes through: the dynamic provider or the native `plume` plugin. */
export type ProviderDoor = "dynamic" | "native";

/** A temporary Pulumi project. */
export interface BenchProject {
  /** The project directory (Pulumi.yaml; the engine starts the program and the provider host here). */
  dir: string;
  /** Removes the project directory. */
  remove(): void;
}

/** The project name, as the root Pulumi.yaml names it. */
export const BENCH_PROJECT_NAME = "pulumi-plume-fleet";

/**
 * Builds a project running `program`: `plume` is the root program (program/index.ts) with the dynamic
 * provider, or on the `native` door its twin bench/nativeProgram/index.ts with the generated SDK and the plugin;
 * `do-nothing` registers the same resources, with the same inputs, through a dynamic provider that calls
 * nothing (bench/doNothingProgram.ts): the floor of what Pulumi itself costs.
 */
export function createBenchProject(
  repoRoot: string,
  program: BenchProgram,
  door: ProviderDoor = "dynamic",
): BenchProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plume-bench-cli-"));
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  linkRepositoryModules(repoRoot, modules);
  // The package as `npm install pulumi-plume` gives it: what the serialized provider requires by name.
  writeCompiledPackage(repoRoot, path.join(modules, "pulumi-plume"));
  // The program's own imports (`../provider`), compiled beside it as `tsc` would lay them out.
  transpileTree(path.join(repoRoot, "provider"), path.join(dir, "provider"));
  const source =
    program === "do-nothing"
      ? path.join("bench", "doNothingProgram.ts")
      : door === "native"
        ? path.join("bench", "nativeProgram", "index.ts")
        : path.join("program", "index.ts");
  // Compiled at its own place in the repository's layout, so its relative imports (`../provider`) hold.
  const main = transpileFile(path.join(repoRoot, source), path.join(dir, source.replace(/\.ts$/, ".js")));
  let yaml = `name: ${BENCH_PROJECT_NAME}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${path.relative(dir, main)}\n`;
  if (program === "plume" && door === "native") {
    buildNodejsSdk(path.join(modules, "@pulumi-plume", "plume"));
    yaml += `plugins:\n  providers:\n    - name: plume\n      path: ${writePlugin(repoRoot, path.join(dir, "plugin"))}\n`;
  }
  writeFileSync(path.join(dir, "Pulumi.yaml"), yaml);
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-fleet", private: true }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Lays out the `plume` plugin in `pluginDir` as its tarball holds it (scripts/packagePlugin.ts): the launcher
 * at the top, the provider compiled to `dist/provider`, package.json, and the repository's node_modules. The
 * launcher then runs `node dist/provider/native/main.js`, as for a user, not the TypeScript sources.
 */
function writePlugin(repoRoot: string, pluginDir: string): string {
  writeCompiledPackage(repoRoot, pluginDir);
  const launcher = path.join(pluginDir, "pulumi-resource-plume");
  copyFileSync(path.join(repoRoot, "bin", "pulumi-resource-plume"), launcher);
  chmodSync(launcher, 0o755);
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(pluginDir, "node_modules"), "dir");
  return pluginDir;
}
