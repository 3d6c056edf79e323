// A scratch TypeScript project on the generated SDK: Pulumi.yaml naming this checkout's plugin, the program,
// and node_modules holding the SDK compiled by buildNodejsSdk (as `npm install` would place it) beside this
// checkout's packages (@pulumi/pulumi, ts-node, typescript), linked.
import { join } from "node:path";
import { buildNodejsSdk } from "../../../scripts/sdk";
import { linkRepositoryModules } from "../../../support/projectModules";
import { repoRoot, TestStack } from "../../support/pulumiStack";

/** A stack of the TypeScript program `program` (index.ts) in project `name`, with `config` set. */
export async function typescriptStack(
  name: string,
  program: string,
  config: { config?: Record<string, string>; secretConfig?: Record<string, string> },
): Promise<TestStack> {
  const stack = await TestStack.create({
    ...config,
    projectFiles: {
      "Pulumi.yaml":
        `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n` +
        `plugins:\n  providers:\n    - name: plume\n      path: ${join(repoRoot, "bin")}\n`,
      "package.json": JSON.stringify({ name, private: true, main: "index.ts" }),
      "index.ts": program,
    },
  });
  const modules = join(stack.projectDir, "node_modules");
  buildNodejsSdk(join(modules, "@pulumi-plume", "plume"));
  linkRepositoryModules(repoRoot, modules);
  return stack;
}
