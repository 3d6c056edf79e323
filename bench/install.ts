// Installs the provider the way a user's Pulumi project gets it: compiled JavaScript in
// `<project>/node_modules/pulumi-plume`, found by the serialized provider's `require("pulumi-plume/...")`.
// Without this, the host would load the provider from this repository's TypeScript sources through ts-node,
// and every figure (start-up, CPU, peak RSS) would include the TypeScript compiler, which users never run.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { transpileTree } from "./transpile";

/** A temporary project directory with the compiled provider installed. */
export interface InstalledProvider {
  /** The project directory: run the provider host with this as its working directory. */
  projectDir: string;
  /** Removes the project directory. */
  remove(): void;
}

/**
 * Transpiles every TypeScript file under `<repoRoot>/provider` (no type check: `npm run typecheck` does that)
 * into a temporary project's `node_modules/pulumi-plume/dist/provider`, with the repository's package.json
 * (its `exports` map), its `dynamic-provider.js` entry and the repository's dependencies.
 */
export function installCompiledProvider(repoRoot: string): InstalledProvider {
  const projectDir = mkdtempSync(path.join(os.tmpdir(), "plume-bench-project-"));
  const packageDir = path.join(projectDir, "node_modules", "pulumi-plume");
  writeCompiledPackage(repoRoot, packageDir);
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(packageDir, "node_modules"), "dir");
  return { projectDir, remove: () => rmSync(projectDir, { recursive: true, force: true }) };
}

/**
 * Writes the package as `npm install pulumi-plume` lays it out into `packageDir`: the provider compiled to
 * `dist/provider`, the repository's package.json (its `exports` map) and its `dynamic-provider.js` entry.
 */
export function writeCompiledPackage(repoRoot: string, packageDir: string): void {
  transpileTree(path.join(repoRoot, "provider"), path.join(packageDir, "dist", "provider"));
  for (const file of ["package.json", "dynamic-provider.js"]) {
    writeFileSync(path.join(packageDir, file), readFileSync(path.join(repoRoot, file)));
  }
}
