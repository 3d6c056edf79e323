// Provisioning the Pulumi CLI this project is tested and run with: `npm run provision`, and the first step of
// `npm run up` and `npm test` when no CLI is found.
//
// Pulumi's CLI and its Node.js language host are Go programs. Where Go is installed, they are built from
// source with the Go module proxy (tools/pulumi-cli/, whose go.mod and go.sum pin every module), as
// distributions build Pulumi. Where Go is missing, Pulumi's official installer is used instead (it needs
// the internet). Either way the binaries land where Pulumi's Automation API and its npm launcher look for a
// version: `$PULUMI_HOME/versions/<version>/bin` (default `~/.pulumi/versions/<version>/bin`).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { findExecutable, PULUMI_INSTALL_URL } from "./pulumiCli";

/** The Pulumi CLI version this project pins (tools/pulumi-cli/go.mod requires pkg/v3 at this version). */
export const PULUMI_VERSION = "3.274.1";

/**
 * The release of `pulumi-language-nodejs` that is built. The Go module proxy serves no version of the
 * language host's own module (`github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3`, split
 * out of the SDK in 3.68); 3.67.1 is the last release that ships it inside `github.com/pulumi/pulumi/sdk/v3`,
 * which the proxy serves. The language protocol is versioned by the CLI, which falls back for older hosts.
 */
export const NODEJS_HOST_VERSION = "3.67.1";

/** The Go module of tools/pulumi-cli/ that builds the CLI, and the one beside it that builds the language host. */
const TOOLS_DIR = join(__dirname, "..", "tools", "pulumi-cli");
const BUILDS = [
  {
    binary: "pulumi",
    moduleDir: TOOLS_DIR,
    packagePath: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    version: PULUMI_VERSION,
  },
  {
    binary: "pulumi-language-nodejs",
    moduleDir: join(TOOLS_DIR, "nodejs-host"),
    packagePath: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    version: NODEJS_HOST_VERSION,
  },
] as const;

/**
 * The plugin the engine starts for dynamic resources (`pulumi-resource-pulumi-nodejs`): it runs the
 * dynamic-provider host of the `@pulumi/pulumi` that the project (its working directory) installed, with the
 * engine's arguments. `exec` hands signals straight to the host.
 */
export const DYNAMIC_PROVIDER_LAUNCHER = `#!/bin/sh
# Started by the Pulumi engine for dynamic resources; installed by pulumi-plume's scripts/provisionPulumi.ts.
host=$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [process.cwd()] }))' 2>/dev/null)
if [ -z "$host" ]; then
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed under $(pwd); run npm install in the project" >&2
  exit 1
fi
exec node "$host" "$@"
`;

/** The binaries a complete installation has in its bin directory. */
export const INSTALLED_BINARIES = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-pulumi-nodejs",
] as const;

/** `$PULUMI_HOME/versions/<version>` (default `~/.pulumi/versions/<version>`): the Automation API's `root`. */
export function pulumiInstallRoot(env: NodeJS.ProcessEnv, version = PULUMI_VERSION): string {
  const home =
    env.PULUMI_HOME !== undefined && env.PULUMI_HOME !== "" ? env.PULUMI_HOME : join(homedir(), ".pulumi");
  return join(home, "versions", version);
}

/**
 * What the installation was made from: the pinned modules (go.mod and go.sum of both builds) and the
 * launcher. A change of any of them makes the next provisioning build again.
 */
function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const build of BUILDS) {
    for (const file of ["go.mod", "go.sum"]) hash.update(readFileSync(join(build.moduleDir, file)));
  }
  hash.update(DYNAMIC_PROVIDER_LAUNCHER);
  return hash.digest("hex");
}

const STAMP_FILE = "provisioned.json";

/** Whether `root` holds a complete installation made from the current sources (the instant path). */
export function isProvisioned(root: string): boolean {
  const bin = join(root, "bin");
  if (!INSTALLED_BINARIES.every((name) => existsSync(join(bin, name)))) return false;
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), "utf8")) as {
      source?: string;
      fingerprint?: string;
    };
    // An installation made by Pulumi's installer is complete as it is; one we built must match our sources.
    return stamp.source === "installer" || stamp.fingerprint === sourceFingerprint();
  } catch {
    return false;
  }
}

/** Problems provisioning cannot get past, with what to do. */
export class PulumiProvisionError extends Error {
  override name = "PulumiProvisionError";
}

/** Options of {@link provisionPulumi}. */
export interface ProvisionOptions {
  /** The environment (PATH, PULUMI_HOME, GOPROXY, …). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go. @default console.error */
  log?: (line: string) => void;
  /** How often a build still running says so. @default 15000 ms */
  progressIntervalMs?: number;
}

/**
 * Makes sure the pinned Pulumi CLI is installed, and returns its installation root (for the Automation
 * API's `PulumiCommand.get({ root })`; the CLI is `<root>/bin/pulumi`). Instant when it is there; otherwise
 * builds it from source with Go (minutes the first time; Go's caches make a rebuild fast), or, without Go,
 * runs Pulumi's official installer. Throws a {@link PulumiProvisionError} that says what to do.
 */
export async function provisionPulumi(options: ProvisionOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const root = pulumiInstallRoot(env);
  if (isProvisioned(root)) return root;

  const go = findExecutable("go", env.PATH);
  if (go === undefined) return installWithPulumiInstaller(root, log);

  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  log(`Building the Pulumi CLI ${PULUMI_VERSION} from source with Go into ${bin} (a few minutes, once)…`);
  const started = Date.now();
  for (const build of BUILDS) {
    // Built beside its final name and renamed, so an interrupted build never leaves a broken binary.
    const partial = join(bin, `.${build.binary}.partial`);
    await runGoBuild(go, build, partial, env, log, options.progressIntervalMs ?? 15_000);
    renameSync(partial, join(bin, build.binary));
  }
  const launcher = join(bin, "pulumi-resource-pulumi-nodejs");
  writeFileSync(launcher, DYNAMIC_PROVIDER_LAUNCHER);
  chmodSync(launcher, 0o755);
  writeFileSync(
    join(root, STAMP_FILE),
    JSON.stringify({ source: "go", version: PULUMI_VERSION, fingerprint: sourceFingerprint() }, null, 2) +
      "\n",
  );
  log(`Pulumi CLI ${PULUMI_VERSION} installed in ${bin} (${Math.round((Date.now() - started) / 1000)} s).`);
  return root;
}

/** `go build` of one binary, with a line of progress every `intervalMs` and a clear error on failure. */
function runGoBuild(
  go: string,
  build: (typeof BUILDS)[number],
  output: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  intervalMs: number,
): Promise<void> {
  const ldflags = `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${build.version}`;
  const args = [
    "build",
    "-v",
    "-trimpath",
    "-mod=readonly",
    "-ldflags",
    ldflags,
    "-o",
    output,
    build.packagePath,
  ];
  return new Promise((resolve, reject) => {
    // GOFLAGS from the caller could turn on vendoring or workspaces; the pinned go.mod decides.
    const child = spawn(go, args, {
      cwd: build.moduleDir,
      env: { ...env, GOFLAGS: "-buildvcs=false", GOWORK: "off" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let compiled = 0;
    const errorLines: string[] = [];
    child.stderr.setEncoding("utf8");
    let pending = "";
    child.stderr.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        // `-v` prints each package as it is compiled; anything else is a message worth keeping.
        if (/^[\w.-]+(\/[\w.~-]+)*$/.test(line)) compiled += 1;
        else if (line.trim() !== "") errorLines.push(line);
      }
    });
    const started = Date.now();
    const timer = setInterval(() => {
      log(
        `  still building ${build.binary} ${build.version}: ${compiled} packages compiled, ` +
          `${Math.round((Date.now() - started) / 1000)} s`,
      );
    }, intervalMs);
    timer.unref();
    child.once("error", (error) => {
      clearInterval(timer);
      reject(new PulumiProvisionError(`Could not run ${go}: ${error.message}`));
    });
    child.once("close", (code) => {
      clearInterval(timer);
      if (pending.trim() !== "") errorLines.push(pending);
      if (code === 0) {
        log(
          `  built ${build.binary} ${build.version} (${compiled} packages compiled, the rest from Go's build cache)`,
        );
        resolve();
        return;
      }
      rmSync(output, { force: true });
      reject(new PulumiProvisionError(buildFailureMessage(build, errorLines)));
    });
  });
}

/** What a failed build means, and what to do about it. */
function buildFailureMessage(build: (typeof BUILDS)[number], errorLines: string[]): string {
  const detail = errorLines.slice(-15).join("\n");
  const refused = errorLines.find((line) => /\b(403|404|410)\b|not available|not found: /.test(line));
  const head = refused
    ? `The Go module proxy refused a module that ${build.binary} ${build.version} needs:\n  ${refused.trim()}\n` +
      "Check GOPROXY (and GONOSUMDB/GOPRIVATE) point at a proxy that serves the modules pinned in " +
      `tools/pulumi-cli/go.sum, or install the Pulumi CLI yourself (${PULUMI_INSTALL_URL}) ` +
      "and put it on the PATH."
    : `Building ${build.binary} ${build.version} with Go failed (go ${build.packagePath} in ${build.moduleDir}).` +
      " Go 1.26 or later is needed; `go version` says which Go is on the PATH.";
  return `${head}\n${detail}`;
}

/** Without Go: Pulumi's own installer (downloads the release, so it needs the internet). */
async function installWithPulumiInstaller(root: string, log: (line: string) => void): Promise<string> {
  log(
    `Go is not on the PATH; installing the Pulumi CLI ${PULUMI_VERSION} with Pulumi's installer into ${root}…`,
  );
  const { PulumiCommand } = await import("@pulumi/pulumi/automation");
  const { SemVer } = await import("semver");
  try {
    await PulumiCommand.install({ root, version: new SemVer(PULUMI_VERSION) });
  } catch (error) {
    throw new PulumiProvisionError(
      `Neither Go nor the internet is available to install the Pulumi CLI ${PULUMI_VERSION}: ${(error as Error).message}\n` +
        "Install Go 1.26 or later (https://go.dev/doc/install) so it can be built from source, or install the Pulumi CLI " +
        `(${PULUMI_INSTALL_URL}) and put it on the PATH.`,
    );
  }
  writeFileSync(
    join(root, STAMP_FILE),
    JSON.stringify({ source: "installer", version: PULUMI_VERSION }) + "\n",
  );
  return root;
}

if (require.main === module) {
  provisionPulumi().then(
    () => undefined,
    (error: Error) => {
      console.error(error instanceof PulumiProvisionError ? error.message : (error.stack ?? error.message));
      process.exitCode = 1;
    },
  );
}
