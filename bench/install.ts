// Installs the provider the way a user's Pulumi project gets it: compiled JavaScript in
// `<project>/node_modules/pulumi-plume`, found by the serialized provider's `require("pulumi-plume/...")`.
// Without this, the host would load the provider from this repository's TypeScript sources through ts-node,
// and every figure (start-up, CPU, peak RSS) would include the TypeScript compiler, which users never run.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

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
  for (const source of typeScriptFiles(path.join(repoRoot, "provider"))) {
    const relative = path.relative(repoRoot, source).replace(/\.ts$/, ".js");
    const target = path.join(packageDir, "dist", relative);
    const output = ts.transpileModule(readFileSync(source, "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
      fileName: source,
    });
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, output.outputText);
  }
  for (const file of ["package.json", "dynamic-provider.js"]) {
    writeFileSync(path.join(packageDir, file), readFileSync(path.join(repoRoot, file)));
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(packageDir, "node_modules"), "dir");
  return { projectDir, remove: () => rmSync(projectDir, { recursive: true, force: true }) };
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}
