// The native plume provider from a TypeScript program that uses the generated SDK (sdk/nodejs, compiled by
// `npm run sdk:nodejs`'s buildNodejsSdk into the program's node_modules, as `npm install` would place it).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { typescriptStack } from "./typescriptProject";
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
  createStack: (config) => typescriptStack("plume-native-ts", typescriptProgram([]), config),
  declare: async (stack, locations) => {
    writeFileSync(join(stack.projectDir, "index.ts"), typescriptProgram(locations));
  },
});
