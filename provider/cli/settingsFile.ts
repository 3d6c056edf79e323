import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, envVar, type SettingsSources } from "../core/settings";
import { CliError } from "./cliError";

/** The `config:` of a stack settings file (`Pulumi.<stack>.yaml`), as `plume-fleet` can read it. */
export interface SettingsFile {
  /** The file, as named on the command line. */
  file: string;
  /** Plain values by full key (`plume:apiUrl`); numbers and booleans as their text. */
  values: Map<string, string>;
  /** Keys whose values are encrypted (`secure:`): only Pulumi, with the stack's secrets provider, can read them. */
  encryptedKeys: string[];
}

/**
 * Reads the `config:` map of a stack settings file (`file` relative to `cwd`). Encrypted values are noted, not read. Throws a
 * {@link CliError} when the file cannot be read or is not such a file.
 */
export function readSettingsFile(file: string, cwd: string): SettingsFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new CliError(
      `Cannot read the settings file ${file}: ${(error as Error).message}`,
      "Give --config the path of a stack settings file such as Pulumi.prod.yaml, or leave --config out and set PLUME_* environment variables.",
    );
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new CliError(
      `${file} is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
      "Give --config a stack settings file (Pulumi.<stack>.yaml) as `pulumi config set` writes it.",
    );
  }
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    throw new CliError(
      `${file} has no \`config:\` map`,
      "Give --config a stack settings file (Pulumi.<stack>.yaml) as `pulumi config set` writes it.",
    );
  }
  const values = new Map<string, string>();
  const encryptedKeys: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      values.set(key, String(value));
    } else if (value !== null && typeof value === "object" && "secure" in value) {
      encryptedKeys.push(key);
    }
  }
  return { file, values, encryptedKeys };
}

/**
 * The settings sources of the provider, built from a settings file (standing in for stack config) and the
 * environment, so that `resolvePlumeSettings` applies the provider's own rules. Throws a {@link CliError}
 * for an encrypted `plume:*` value whose environment variable is not set: it cannot be decrypted here.
 */
export function settingsSources(
  settingsFile: SettingsFile | undefined,
  env: Record<string, string | undefined>,
): SettingsSources {
  if (settingsFile === undefined) return { config: () => undefined, env };
  const unreadable = settingsFile.encryptedKeys
    .filter((key) => key.startsWith(`${CONFIG_NAMESPACE}:`))
    .map((key) => ({ key, variable: envVar(key.slice(CONFIG_NAMESPACE.length + 1)) }))
    .filter(({ variable }) => !env[variable]);
  if (unreadable.length > 0) {
    throw new CliError(
      `${settingsFile.file} holds ${unreadable.map(({ key }) => `\`${key}\``).join(", ")} encrypted ` +
        "(`secure:`), and plume-fleet cannot decrypt stack secrets",
      `Pass ${unreadable.length === 1 ? "it" : "them"} in the environment instead: ` +
        `${unreadable.map(({ variable }) => variable).join(", ")} (for example from your CI's secret store); ` +
        "the other settings are still read from the file.",
    );
  }
  return {
    config: (key) => settingsFile.values.get(key),
    env,
    configKeys: [...settingsFile.values.keys(), ...settingsFile.encryptedKeys],
  };
}
