// `npm run package:plugin`: the `plume` provider plugin as the tarball `pulumi plugin install resource plume
// <version> --file <tarball>` installs: dist/pulumi-resource-plume-v<version>-linux-amd64.tar.gz, holding the
// launcher at the top, the compiled provider, package.json and the production node_modules. Needs the npm
// registry (or npm's cache) for `npm ci --omit=dev`.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const root = path.join(__dirname, "..");

/** Runs a command in `cwd`, its output passed through; throws when it fails. */
function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: "inherit" });
}

function main(): void {
  const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
    version: string;
  };
  run("npm", ["run", "--silent", "build"], root);

  const staging = mkdtempSync(path.join(tmpdir(), "pulumi-resource-plume-"));
  try {
    for (const file of ["package.json", "package-lock.json", "LICENSE"]) {
      cpSync(path.join(root, file), path.join(staging, file));
    }
    cpSync(path.join(root, "dist", "provider"), path.join(staging, "dist", "provider"), { recursive: true });
    cpSync(path.join(root, "bin", "pulumi-resource-plume"), path.join(staging, "pulumi-resource-plume"));
    // --ignore-scripts: the package's own `prepare` (a build) has nothing to build here.
    run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"], staging);

    const tarball = path.join(root, "dist", `pulumi-resource-plume-v${version}-linux-amd64.tar.gz`);
    run("tar", ["-czf", tarball, "-C", staging, "."], root);
    console.log(`wrote ${path.relative(root, tarball)}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

main();
