// The native plume provider from a Pulumi YAML program: the README's five-line program, grown to three
// locations, run by the YAML language host built from github.com/pulumi/pulumi-yaml.
import { join } from "node:path";
import { stringify } from "yaml";
import { repoRoot, TestStack, writeFiles } from "../../support/pulumiStack";
import { describeNativeScenario, NATIVE_RESOURCE, type DeclaredLocation } from "./nativeScenario";

/** The Pulumi.yaml of a YAML program declaring `locations`, with this checkout's plugin. */
function yamlProgram(locations: DeclaredLocation[]): string {
  return stringify({
    name: "plume-native-yaml",
    runtime: "yaml",
    plugins: { providers: [{ name: "plume", path: join(repoRoot, "bin") }] },
    resources: Object.fromEntries(
      locations.map(({ name, ...properties }) => [name, { type: NATIVE_RESOURCE, properties }]),
    ),
  });
}

describeNativeScenario({
  language: "Pulumi YAML",
  createStack: (config) => TestStack.create({ ...config, projectFiles: { "Pulumi.yaml": yamlProgram([]) } }),
  declare: async (stack, locations) => {
    writeFiles(stack.projectDir, { "Pulumi.yaml": yamlProgram(locations) });
  },
});
