// The node_modules of a scratch Pulumi project that runs this checkout's code (the real-CLI benchmark's
// projects, the native provider's TypeScript test programs): each package the repository installed, linked.
import { readdirSync, symlinkSync } from "node:fs";
import * as path from "node:path";

/** Links every package of `repoRoot`'s node_modules into `modulesDir` (dot entries such as `.bin` aside). */
export function linkRepositoryModules(repoRoot: string, modulesDir: string): void {
  for (const entry of readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry.startsWith(".")) continue;
    symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(modulesDir, entry), "dir");
  }
}
