// The native provider's SDKs, generated from its schema:
//
//   npm run sdk            schema.json from provider/native/schema.ts, then sdk/nodejs, sdk/go and sdk/python
//                          from it with tools/sdkgen (provisioned on first use). Commit the result.
//   npm run sdk:nodejs     compiles sdk/nodejs into dist/sdk/nodejs, an npm package a TypeScript program
//                          installs (`npm install <checkout>/dist/sdk/nodejs`).
//
// The plugin, schema.json and every SDK carry the version of package.json, so they always agree.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { packageSchemaText } from "../provider/native/schema";
import { PulumiProvisionError, provisionPulumi, sdkgenPath } from "./provisionPulumi";
import { runChecked } from "./runChecked";

const root = join(__dirname, "..");

/** The languages an SDK is generated for. */
export const SDK_LANGUAGES = ["nodejs", "go", "python"] as const;

/** Writes `schemaPath` from the schema's source, then every SDK under `outDir/<language>` (replacing them). */
export async function generateSdks(outDir: string, schemaPath = join(root, "schema.json")): Promise<void> {
  writeFileSync(schemaPath, packageSchemaText());
  await provisionPulumi();
  for (const language of SDK_LANGUAGES) rmSync(join(outDir, language), { recursive: true, force: true });
  runChecked(sdkgenPath(), ["--schema", schemaPath, "--out", outDir, "--language", SDK_LANGUAGES.join(",")]);
}

/**
 * Compiles the generated TypeScript SDK (sdk/nodejs) with this repository's TypeScript into `outDir`, with
 * its package.json and README beside the JavaScript: an npm package, `@pulumi-plume/plume`.
 */
export function buildNodejsSdk(outDir: string): void {
  const source = join(root, "sdk", "nodejs");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  runChecked(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", source, "--outDir", outDir]);
  for (const file of ["package.json", "README.md"]) copyFileSync(join(source, file), join(outDir, file));
}

if (require.main === module) {
  const command = process.argv[2];
  const task =
    command === "generate"
      ? generateSdks(join(root, "sdk")).then(() =>
          console.log("wrote schema.json and sdk/{nodejs,go,python}"),
        )
      : command === "build-nodejs"
        ? Promise.resolve(buildNodejsSdk(join(root, "dist", "sdk", "nodejs"))).then(() =>
            console.log("built dist/sdk/nodejs: npm install <this checkout>/dist/sdk/nodejs"),
          )
        : Promise.reject(new Error("usage: ts-node scripts/sdk.ts generate | build-nodejs"));
  task.catch((error: Error) => {
    console.error(error instanceof PulumiProvisionError ? error.message : error.message);
    process.exitCode = 1;
  });
}
