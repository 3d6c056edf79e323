// `npm run sdkgen -- --schema schema.json --out sdk --language nodejs,go,python`: provisions the toolchain if
// needed, then runs the SDK generator (tools/sdkgen/) it built.
import { spawnSync } from "node:child_process";
import { PulumiProvisionError, provisionPulumi, sdkgenPath } from "./provisionPulumi";

provisionPulumi().then(
  () => {
    const result = spawnSync(sdkgenPath(), process.argv.slice(2), { stdio: "inherit" });
    process.exitCode = result.status ?? 1;
  },
  (error: Error) => {
    console.error(error instanceof PulumiProvisionError ? error.message : (error.stack ?? error.message));
    process.exitCode = 1;
  },
);
