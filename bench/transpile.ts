// TypeScript to CommonJS without a type check (`npm run typecheck` does that), for the benchmark's projects:
// the provider and program as a user's project runs them after `tsc`, with no ts-node in the process.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/** Transpiles every TypeScript file under `sourceDir` into `targetDir` (no type check: `npm run typecheck`). */
export function transpileTree(sourceDir: string, targetDir: string): void {
  for (const source of typeScriptFiles(sourceDir)) {
    transpileFile(source, path.join(targetDir, path.relative(sourceDir, source).replace(/\.ts$/, ".js")));
  }
}

/** Transpiles one TypeScript file to `target`; returns `target`. */
export function transpileFile(source: string, target: string): string {
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
  return target;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}
