import fs from "node:fs";
import path from "node:path";

/** The package's name, used to find its package.json. */
const PACKAGE_NAME = "pulumi-plume";

/**
 * The package's version, read from the nearest package.json named pulumi-plume above this file (works from the
 * sources under ts-node, from the built `dist/` and from the provider plugin's tarball).
 */
export const PACKAGE_VERSION = packageVersion(__dirname);

/** `pulumi-plume/<version>`: the User-Agent of every request. */
export const USER_AGENT = `${PACKAGE_NAME}/${PACKAGE_VERSION}`;

function packageVersion(start: string): string {
  for (let directory = start; ; directory = path.dirname(directory)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(directory, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === "string") return manifest.version;
    } catch {
      // No readable package.json here; keep walking up.
    }
    if (path.dirname(directory) === directory) return "0.0.0";
  }
}
