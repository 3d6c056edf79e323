// The native plume provider from a TypeScript program that uses the generated SDK (sdk/nodejs, compiled by
// `npm run sdk:nodejs`'s buildNodejsSdk into the program's node_modules, as `npm install` would place it).
import { readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildNodejsSdk } from "../../../scripts/sdk";
import { repoRoot, TestStack } from "../../support/pulumiStack";
import { describeNativeScenario, type DeclaredLocation } from "./nativeScenario";

/** The program: one `plume.LocationService` per declared location. */
function typescriptProgram(locations: DeclaredLocation[]): string {
  return [
    'import * as plume from "@pulumi-plume/plume";',
    "",
    ...locations.map(
      ({ name, ...args }) =>
        `new plume.LocationService(${JSON.stringify(name)}, ${JSON.stringify(args)} as plume.LocationServiceArgs);`,
    ),
    "",
  ].join("\n");
}

describeNativeScenario({
  language: "TypeScript (generated SDK)",
  createStack: async (config) => {
    const stack = await TestStack.create({
      ...config,
      projectFiles: {
        "Pulumi.yaml":
          "name: plume-native-ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n" +
          `plugins:\n  providers:\n    - name: plume\n      path: ${join(repoRoot, "bin")}\n`,
        "package.json": JSON.stringify({ name: "plume-native-ts", private: true, main: "index.ts" }),
        "index.ts": typescriptProgram([]),
      },
    });
    // The program's node_modules: this checkout's packages (@pulumi/pulumi, ts-node, typescript), and the SDK.
    const modules = join(stack.projectDir, "node_modules");
    buildNodejsSdk(join(modules, "@pulumi-plume", "plume"));
    for (const entry of readdirSync(join(repoRoot, "node_modules"))) {
      if (entry !== ".bin") symlinkSync(join(repoRoot, "node_modules", entry), join(modules, entry));
    }
    return stack;
  },
  declare: async (stack, locations) => {
    writeFileSync(join(stack.projectDir, "index.ts"), typescriptProgram(locations));
  },
});
