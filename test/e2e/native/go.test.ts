// The native plume provider from a Go program that uses the generated Go SDK (sdk/go, through a `replace`),
// run by the Go language host built from github.com/pulumi/pulumi/sdk/v3 (which builds the program with
// `go build` before every command). The program declares the locations of its stack config `locations`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot, TestStack } from "../../support/pulumiStack";
import { describeNativeScenario } from "./nativeScenario";

const FIXTURE = join(repoRoot, "test", "e2e", "fixtures", "nativeGo");

describeNativeScenario(
  {
    language: "Go (generated SDK)",
    createStack: (config) =>
      TestStack.create({
        ...config,
        projectFiles: {
          "Pulumi.yaml":
            "name: plume-native-go\nruntime: go\n" +
            `plugins:\n  providers:\n    - name: plume\n      path: ${join(repoRoot, "bin")}\n`,
          "main.go": readFileSync(join(FIXTURE, "main.go"), "utf8"),
          // The fixture's go.mod points at sdk/go relatively; the scratch copy points at it absolutely.
          "go.mod": readFileSync(join(FIXTURE, "go.mod"), "utf8").replace(
            "=> ../../../../sdk/go",
            `=> ${join(repoRoot, "sdk", "go")}`,
          ),
          "go.sum": readFileSync(join(FIXTURE, "go.sum"), "utf8"),
        },
      }),
    declare: (stack, locations) =>
      stack.setConfig({ "plume-native-go:locations": JSON.stringify(locations) }),
  },
  // The first build of a Go program compiles Pulumi's Go SDK (about two minutes on two cores, cold).
  600_000,
);
