// The provider's configuration as the engine sends it, turned into the core's settings sources. The engine
// names a setting three ways: `plume:config:apiUrl` in Configure's variables (older engines `plume:apiUrl`),
// and `apiUrl` in Configure's args and CheckConfig's inputs, where values keep their type and secret bit.
// Each becomes the stack config key `plume:apiUrl`; the environment stays the fallback.
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import {
  CONFIG_NAMESPACE,
  configKey,
  findSetting,
  SECRET_SETTINGS,
  type SettingsSources,
} from "../core/settings";
import { UNKNOWN_VALUE } from "../core/schema";
import { unwrapProperties } from "./propertyValues";

/** Provider inputs the engine adds itself (`version` of an explicit provider): no setting of ours. */
const ENGINE_PROPERTIES: ReadonlySet<string> = new Set(["version", "pluginDownloadURL"]);

/** Settings sources, and every secret text they hold (to keep out of any message). */
export interface ProviderConfiguration {
  sources: SettingsSources;
  secretTexts: string[];
}

/**
 * A config value as text, as stack config holds it: numbers and booleans written unquoted in the stack's
 * YAML (or typed by the schema) read as their text; an unknown value (config from another resource's output,
 * in a preview) counts as not set.
 */
function settingText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === UNKNOWN_VALUE) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** `plume:config:apiUrl` or `plume:apiUrl` -> `plume:apiUrl`; a key of another namespace stays as it is. */
function stackConfigKey(variable: string): string {
  const prefix = `${CONFIG_NAMESPACE}:config:`;
  return variable.startsWith(prefix) ? configKey(variable.slice(prefix.length)) : variable;
}

/** Settings sources over stack config keys and values, with the process environment as the fallback. */
function sourcesOf(config: ReadonlyMap<string, string>, env: NodeJS.ProcessEnv): SettingsSources {
  return { config: (key) => config.get(key), env, configKeys: [...config.keys()] };
}

/** Every secret setting's value, from either source, plus the secrets already found. */
function secretTextsOf(sources: SettingsSources, found: readonly string[]): string[] {
  const texts = new Set(found);
  for (const setting of SECRET_SETTINGS) {
    const value = findSetting(sources, setting)?.value;
    if (value !== undefined) texts.add(value);
  }
  return [...texts];
}

/**
 * The configuration of provider inputs keyed by setting name (`apiUrl`): Configure's args, CheckConfig's
 * news. Secret values are unwrapped; keys the engine adds (`version`) are left out.
 */
export function configurationFromInputs(
  inputs: structProto.Struct | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProviderConfiguration {
  const { values, secretTexts } = unwrapProperties(inputs);
  const config = new Map<string, string>();
  for (const [setting, value] of Object.entries(values)) {
    const text = settingText(value);
    if (text !== undefined && !ENGINE_PROPERTIES.has(setting) && !setting.startsWith("__")) {
      config.set(configKey(setting), text);
    }
  }
  const sources = sourcesOf(config, env);
  return { sources, secretTexts: secretTextsOf(sources, secretTexts) };
}

/** The configuration of Configure's variables (`plume:config:apiUrl` -> value as text). */
export function configurationFromVariables(
  variables: Iterable<[string, string]>,
  env: NodeJS.ProcessEnv = process.env,
): ProviderConfiguration {
  const config = new Map<string, string>();
  for (const [variable, value] of variables) config.set(stackConfigKey(variable), value);
  const sources = sourcesOf(config, env);
  return { sources, secretTexts: secretTextsOf(sources, []) };
}
