// `npm run package:plugin`: the `plume` provider plugin as the tarball `pulumi plugin install resource plume
// <version> --file <tarball>` installs: dist/pulumi-resource-plume-v<version>-linux-amd64.tar.gz, holding the
// launcher at the top, the compiled provider, package.json and the production node_modules. Needs the npm
// registry (or npm's cache) for `npm ci --omit=dev`.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runChecked } from "./runChecked";

const root = path.join(__dirname, "..");

/**
 * Writes the plugin tarball into `outDir` and returns its path. Compiles the provider into the staging
 * directory itself, so the repository's dist/ (which other commands may be reading) is left alone.
 */
export function packagePlugin(outDir: string = path.join(root, "dist")): string {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  const staging = mkdtempSync(path.join(tmpdir(), "pulumi-resource-plume-"));
  try {
    for (const file of ["package.json", "package-lock.json", "LICENSE"]) {
      cpSync(path.join(root, file), path.join(staging, file));
    }
    runChecked(
      process.execPath,
      [
        require.resolve("typescript/bin/tsc"),
        "-p",
        "tsconfig.build.json",
        "--outDir",
        path.join(staging, "dist"),
      ],
      root,
    );
    rmSync(path.join(staging, "dist", "simulator"), { recursive: true, force: true });
    cpSync(path.join(root, "bin", "pulumi-resource-plume"), path.join(staging, "pulumi-resource-plume"));
    // --ignore-scripts: the package's own `prepare` (a build) has nothing to build here.
    runChecked("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], staging);

    mkdirSync(outDir, { recursive: true });
    const tarball = path.join(outDir, `pulumi-resource-plume-v${version}-linux-amd64.tar.gz`);
    runChecked("tar", ["-czf", tarball, "-C", staging, "."], root);
    return tarball;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const tarball = packagePlugin();
  console.log(`wrote ${path.relative(root, tarball)}`);
}
