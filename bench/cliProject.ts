// The Pulumi project the real-CLI benchmark runs, laid out as a user's project would be after `tsc`: the root
// program and the provider compiled to JavaScript (no ts-node in the program or the provider host), the
// package installed in `node_modules/pulumi-plume`, and every other dependency linked from this repository.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeCompiledPackage } from "./install";
import { transpileFile, transpileTree } from "./transpile";

/** Which program a bench project runs. */
export type BenchProgram = "plume" | "do-nothing";

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
 * Builds a project running `program`: `plume` is the root program (program/index.ts) with the provider;
 * `do-nothing` registers the same resources, with the same inputs, through a provider that calls nothing
 * (bench/doNothingProgram.ts): the floor of what Pulumi itself costs.
 */
export function createBenchProject(repoRoot: string, program: BenchProgram): BenchProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), "plume-bench-cli-"));
  const modules = path.join(dir, "node_modules");
  mkdirSync(modules);
  for (const entry of readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry.startsWith(".")) continue;
    symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(modules, entry), "dir");
  }
  // The package as `npm install pulumi-plume` gives it: what the serialized provider requires by name.
  writeCompiledPackage(repoRoot, path.join(modules, "pulumi-plume"));
  // The program's own imports (`../provider`), compiled beside it as `tsc` would lay them out.
  transpileTree(path.join(repoRoot, "provider"), path.join(dir, "provider"));
  const main =
    program === "plume"
      ? transpileFile(path.join(repoRoot, "program", "index.ts"), path.join(dir, "program", "index.js"))
      : transpileFile(
          path.join(repoRoot, "bench", "doNothingProgram.ts"),
          path.join(dir, "program", "index.js"),
        );
  writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${BENCH_PROJECT_NAME}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${path.relative(dir, main)}\n`,
  );
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-fleet", private: true }));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
