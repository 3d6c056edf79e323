// Provisioning the Pulumi CLI this project is tested and run with: `npm run provision`, and the first step of
// `npm run up` and `npm test` when no CLI is found.
//
// Pulumi's CLI and its language hosts are Go programs. Where Go is installed, they are built from source with
// the Go module proxy (tools/pulumi-cli/ and the modules beside it, whose go.mod and go.sum pin every module),
// as distributions build Pulumi, together with this project's SDK generator (tools/sdkgen/). Where Go is
// missing, Pulumi's official installer is used instead (it needs the internet; it brings the CLI and its
// language hosts, not the SDK generator). Either way the binaries land where Pulumi's Automation API and its
// npm launcher look for a version: `$PULUMI_HOME/versions/<version>/bin` (default
// `~/.pulumi/versions/<version>/bin`), where the CLI also finds its language hosts.
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

/**
 * The release of `pulumi-language-go` that is built: as for Node.js, the proxy refuses the host's own module
 * (`github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3`), and 3.66.0 is the last `sdk/v3` release that
 * ships it (as `sdk/v3/go/pulumi-language-go`; 3.66.1 is not served, 3.67.0 no longer has it).
 */
export const GO_HOST_VERSION = "3.66.0";

/**
 * The release of `pulumi-language-yaml` (module `github.com/pulumi/pulumi-yaml`, the newest the proxy
 * serves). It compiles against `pkg/v3` and `sdk/v3` up to 3.219.0 only (plugin API changes after that),
 * so tools/pulumi-cli/yaml-host/ pins those at 3.219.0 and every other module at the CLI's versions.
 */
export const YAML_HOST_VERSION = "1.25.0";

/** One `go build` of a pinned module into the bin directory. */
export interface GoBuild {
  /** The binary's name in the bin directory. */
  readonly binary: string;
  /** The Go module (committed go.mod and go.sum) it is built in. */
  readonly moduleDir: string;
  /** The main package, as `go build` takes it. */
  readonly packagePath: string;
  /** The release, for messages and the version variable. */
  readonly version: string;
  /** The package variable (`-X`) that carries the version, if the program has one. */
  readonly versionVariable?: string;
}

const PULUMI_VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The Go module of tools/pulumi-cli/ that builds the CLI, and the ones beside it that build the language hosts. */
const TOOLS_DIR = join(__dirname, "..", "tools", "pulumi-cli");

/** The pkg/v3 release whose code generators sdkgen uses (tools/sdkgen/go.mod): @pulumi/pulumi's, 3.248.0. */
export const SDKGEN_CODEGEN_VERSION = "3.248.0";
export const BUILDS: readonly GoBuild[] = [
  {
    binary: "pulumi",
    moduleDir: TOOLS_DIR,
    packagePath: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    version: PULUMI_VERSION,
    versionVariable: PULUMI_VERSION_VARIABLE,
  },
  {
    binary: "pulumi-language-nodejs",
    moduleDir: join(TOOLS_DIR, "nodejs-host"),
    packagePath: "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs",
    version: NODEJS_HOST_VERSION,
    versionVariable: PULUMI_VERSION_VARIABLE,
  },
  {
    binary: "pulumi-language-yaml",
    moduleDir: join(TOOLS_DIR, "yaml-host"),
    packagePath: "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml",
    version: YAML_HOST_VERSION,
    versionVariable: "github.com/pulumi/pulumi-yaml/pkg/version.Version",
  },
  {
    binary: "pulumi-language-go",
    moduleDir: join(TOOLS_DIR, "go-host"),
    packagePath: "github.com/pulumi/pulumi/sdk/v3/go/pulumi-language-go",
    version: GO_HOST_VERSION,
    versionVariable: PULUMI_VERSION_VARIABLE,
  },
  {
    // Not a Pulumi plugin: writes a schema's SDKs with the code generators of pkg/v3 at the release of the
    // @pulumi/pulumi SDK this project pins, so the TypeScript SDK compiles against it (tools/sdkgen/main.go).
    binary: "sdkgen",
    moduleDir: join(__dirname, "..", "tools", "sdkgen"),
    packagePath: ".",
    version: SDKGEN_CODEGEN_VERSION,
  },
];

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

const LAUNCHER = "pulumi-resource-pulumi-nodejs";

/** The binaries a complete installation has in its bin directory. */
export const INSTALLED_BINARIES = [...BUILDS.map((build) => build.binary), LAUNCHER] as const;

/** The binaries Pulumi's installer brings (an installation made by it counts as complete without the rest). */
const INSTALLER_BINARIES = ["pulumi", "pulumi-language-nodejs", "pulumi-language-yaml", "pulumi-language-go"];

/** `$PULUMI_HOME/versions/<version>` (default `~/.pulumi/versions/<version>`): the Automation API's `root`. */
export function pulumiInstallRoot(env: NodeJS.ProcessEnv, version = PULUMI_VERSION): string {
  const home =
    env.PULUMI_HOME !== undefined && env.PULUMI_HOME !== "" ? env.PULUMI_HOME : join(homedir(), ".pulumi");
  return join(home, "versions", version);
}

/** `<root>/bin`: the CLI and its language hosts (put it first on the PATH of a `pulumi` run). */
export function pulumiBinDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(pulumiInstallRoot(env), "bin");
}

/**
 * The provisioned SDK generator (`sdkgen --schema schema.json --out sdk --language nodejs,go,python`). It is
 * there after {@link provisionPulumi} built from source; an installation made by Pulumi's installer (no Go)
 * has none, and this throws a {@link PulumiProvisionError} that says so.
 */
export function sdkgenPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = join(pulumiBinDir(env), "sdkgen");
  if (!existsSync(path))
    throw new PulumiProvisionError(
      `The SDK generator is not installed (${path}); \`npm run provision\` builds it, which needs Go 1.26 or later.`,
    );
  return path;
}

/** What one build was made from: its pinned module (go.mod, go.sum), main package and version. */
function buildFingerprint(build: GoBuild): string {
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum"]) hash.update(readFileSync(join(build.moduleDir, file)));
  hash.update(`\0${build.packagePath}\0${build.version}\0${build.versionVariable ?? ""}`);
  return hash.digest("hex");
}

/** What each installed binary was made from; a change makes the next provisioning rebuild that one only. */
function fingerprints(): Record<string, string> {
  const result: Record<string, string> = {};
  for (const build of BUILDS) result[build.binary] = buildFingerprint(build);
  result[LAUNCHER] = createHash("sha256").update(DYNAMIC_PROVIDER_LAUNCHER).digest("hex");
  return result;
}

/**
 * The single fingerprint installations had before there was one per binary: the CLI's and the Node.js host's
 * go.mod and go.sum, and the launcher. It is still written (so an older checkout on the same machine reuses
 * the installation) and still honoured for those three (so this change did not rebuild them).
 */
const LEGACY_BINARIES = ["pulumi", "pulumi-language-nodejs", LAUNCHER];
export function legacyFingerprint(): string {
  const hash = createHash("sha256");
  for (const build of BUILDS.filter((build) => LEGACY_BINARIES.includes(build.binary))) {
    for (const file of ["go.mod", "go.sum"]) hash.update(readFileSync(join(build.moduleDir, file)));
  }
  hash.update(DYNAMIC_PROVIDER_LAUNCHER);
  return hash.digest("hex");
}

const STAMP_FILE = "provisioned.json";

interface Stamp {
  source?: string;
  version?: string;
  /** The legacy fingerprint ({@link legacyFingerprint}). */
  fingerprint?: string;
  /** Per binary, the fingerprint of what it was built from. */
  builds?: Record<string, string>;
}

function readStamp(root: string): Stamp {
  try {
    const stamp = JSON.parse(readFileSync(join(root, STAMP_FILE), "utf8")) as unknown;
    return typeof stamp === "object" && stamp !== null ? (stamp as Stamp) : {};
  } catch {
    return {};
  }
}

/** The binaries of `root` that are missing or were built from other sources than the current ones. */
export function staleBinaries(root: string): string[] {
  const bin = join(root, "bin");
  const stamp = readStamp(root);
  if (stamp.source === "installer") {
    // Pulumi's installer made it: complete as it is (without the SDK generator, which needs Go).
    return INSTALLER_BINARIES.filter((name) => !existsSync(join(bin, name)));
  }
  const current = fingerprints();
  const legacyCurrent = stamp.fingerprint !== undefined && stamp.fingerprint === legacyFingerprint();
  return INSTALLED_BINARIES.filter((name) => {
    if (!existsSync(join(bin, name))) return true;
    if (stamp.builds?.[name] === current[name]) return false;
    return !(legacyCurrent && LEGACY_BINARIES.includes(name));
  });
}

/** Whether `root` holds a complete installation made from the current sources (the instant path). */
export function isProvisioned(root: string): boolean {
  return staleBinaries(root).length === 0;
}

/** Records what the binaries in `built` (and those already current) were made from. */
function writeStamp(root: string, built: Iterable<string>): void {
  const stale = new Set(staleBinaries(root));
  const current = fingerprints();
  const builds: Record<string, string> = {};
  for (const name of INSTALLED_BINARIES) if (!stale.has(name)) builds[name] = current[name];
  for (const name of built) builds[name] = current[name];
  const legacyCurrent = LEGACY_BINARIES.every((name) => builds[name] === current[name]);
  const next: Stamp = {
    source: "go",
    version: PULUMI_VERSION,
    ...(legacyCurrent ? { fingerprint: legacyFingerprint() } : {}),
    builds,
  };
  writeFileSync(join(root, STAMP_FILE), JSON.stringify(next, null, 2) + "\n");
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
 * Makes sure the pinned Pulumi CLI, its Node.js, YAML and Go language hosts and the SDK generator are
 * installed, and returns the installation root (for the Automation API's `PulumiCommand.get({ root })`; the
 * CLI is `<root>/bin/pulumi`, the SDK generator {@link sdkgenPath}). Instant when they are there; otherwise
 * builds what is missing or out of date from source with Go (minutes the first time; Go's caches make a
 * rebuild fast), or, without Go, runs Pulumi's official installer. Throws a {@link PulumiProvisionError}
 * that says what to do.
 */
export async function provisionPulumi(options: ProvisionOptions = {}): Promise<string> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const root = pulumiInstallRoot(env);
  const stale = staleBinaries(root);
  if (stale.length === 0) return root;

  const go = findExecutable("go", env.PATH);
  if (go === undefined) return installWithPulumiInstaller(root, log);

  const bin = join(root, "bin");
  mkdirSync(bin, { recursive: true });
  const builds = BUILDS.filter((build) => stale.includes(build.binary));
  if (builds.length > 0)
    log(
      `Building ${builds.map((build) => `${build.binary} ${build.version}`).join(", ")} from source with Go into ${bin} (minutes, once)…`,
    );
  const started = Date.now();
  for (const build of builds) {
    // Built beside its final name and renamed, so an interrupted build never leaves a broken binary.
    const partial = join(bin, `.${build.binary}.partial`);
    await runGoBuild(go, build, partial, env, log, options.progressIntervalMs ?? 15_000);
    renameSync(partial, join(bin, build.binary));
    writeStamp(root, [build.binary]);
  }
  const launcher = join(bin, LAUNCHER);
  writeFileSync(launcher, DYNAMIC_PROVIDER_LAUNCHER);
  chmodSync(launcher, 0o755);
  writeStamp(root, [LAUNCHER]);
  if (builds.length > 0)
    log(
      `Pulumi ${PULUMI_VERSION} toolchain installed in ${bin} (${Math.round((Date.now() - started) / 1000)} s).`,
    );
  return root;
}

/** `go build` of one binary, with a line of progress every `intervalMs` and a clear error on failure. */
function runGoBuild(
  go: string,
  build: GoBuild,
  output: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  intervalMs: number,
): Promise<void> {
  const ldflags = "-s -w" + (build.versionVariable ? ` -X ${build.versionVariable}=v${build.version}` : "");
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
function buildFailureMessage(build: GoBuild, errorLines: string[]): string {
  const detail = errorLines.slice(-15).join("\n");
  const refused = errorLines.find((line) => /\b(403|404|410)\b|not available|not found: /.test(line));
  const head = refused
    ? `The Go module proxy refused a module that ${build.binary} ${build.version} needs:\n  ${refused.trim()}\n` +
      "Check GOPROXY (and GONOSUMDB/GOPRIVATE) point at a proxy that serves the modules pinned in " +
      `${build.moduleDir}/go.sum, or install the Pulumi CLI yourself (${PULUMI_INSTALL_URL}) ` +
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
