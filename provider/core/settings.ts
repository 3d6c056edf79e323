// Connection settings of the provider: read when the provider runs, from stack config in the `plume` namespace
// first and the environment second. Never captured into the serialized provider. Pure: no Pulumi, no HTTP.
import { PlumeClient, type PlumeClientOptions } from "../client";
import { PlumeConfigError } from "../client/errors";
import { CLIENT_DEFAULTS, type PlumeAuth } from "../client/options";
import type { Problem } from "../problem";

/** The config namespace of every setting: `plume:apiUrl`. */
export const CONFIG_NAMESPACE = "plume";

/** Resolved connection settings: the API host, one complete auth mode, and any client tuning options. */
export interface PlumeSettings {
  apiUrl: string;
  auth: PlumeAuth;
  /** Client tuning options that were set (`maxRetries`, ...), as text: the client parses and checks them. */
  tuning: Record<string, string>;
}

/** Where settings come from: a stack config lookup (full `plume:key` names) and an environment. */
export interface SettingsSources {
  /** Looks up a stack config value by its full key; undefined when it is not set. */
  config: (key: string) => string | undefined;
  /** The environment. */
  env: Record<string, string | undefined>;
  /**
   * Every stack config key, when known: a key in the `plume` namespace that is no setting is reported (a
   * typo such as `plume:clientSecert` would otherwise be silently ignored).
   * @default unknown: not checked
   */
  configKeys?: readonly string[];
}

/**
 * One problem with the settings: `path` is the setting's name (`apiUrl`, `clientSecret`; `auth` for the
 * choice of auth mode), `message` says what is wrong and names both ways to set it. Never holds a value.
 */
export type SettingsProblem = Problem;

/**
 * The connection settings are missing, incomplete or conflicting. Lists every problem at once; a
 * {@link PlumeConfigError} whose title and hint speak of stack config and `PLUME_*` variables.
 */
export class PlumeSettingsError extends PlumeConfigError {
  override name = "PlumeSettingsError";

  /** `problems` must not be empty. */
  constructor(problems: readonly SettingsProblem[]) {
    super(problems, {
      title: "Invalid Plume connection settings",
      hint:
        "Set each setting in stack config (`pulumi config set plume:<name> <value>`, with --secret for " +
        "secrets) or in the PLUME_* environment variable; see docs/resource.md for the table of settings.",
    });
  }
}

/** Client options that may be set as `plume:<name>` / `PLUME_<NAME>` besides the connection settings. */
export const TUNING_OPTIONS: readonly string[] = [...Object.keys(CLIENT_DEFAULTS), "caCertificate", "debug"];

/** Settings whose values are secret: they are passed on but never shown. */
export const SECRET_SETTINGS: readonly string[] = ["clientSecret", "password", "token"];

/** The settings each auth mode needs, all of them: the fields of the client's {@link PlumeAuth} of a kind. */
export const AUTH_MODES = {
  oauth: ["tokenUrl", "clientId", "clientSecret", "partnerId"],
  login: ["email", "password"],
  token: ["token"],
} as const satisfies { [Kind in PlumeAuth["kind"]]: readonly AuthField<Kind>[] };

/** A field of the client's auth of kind `Kind`, other than `kind`. */
type AuthField<Kind extends PlumeAuth["kind"]> = Exclude<keyof Extract<PlumeAuth, { kind: Kind }>, "kind">;

const AUTH_MODE_NAMES: Record<keyof typeof AUTH_MODES, string> = {
  oauth: "OAuth client credentials",
  login: "admin login",
  token: "a ready token",
};

/** The stack config key of a setting: `apiUrl` -> `plume:apiUrl`. */
export function configKey(setting: string): string {
  return `${CONFIG_NAMESPACE}:${setting}`;
}

/** The environment variable of a setting: `apiUrl` -> `PLUME_API_URL`, `maxRetries` -> `PLUME_MAX_RETRIES`. */
export function envVar(setting: string): string {
  return "PLUME_" + setting.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** The setting a client option path comes from: `auth.clientId` is the setting `clientId`. */
export function settingOfOption(optionPath: string): string {
  return optionPath.startsWith("auth.") ? optionPath.slice("auth.".length) : optionPath;
}

/**
 * How the client's runtime hints name an option when the provider built it from settings:
 * `auth.clientId` -> "clientId (plume:clientId / PLUME_CLIENT_ID)".
 */
export function describeSettingOfOption(optionPath: string): string {
  const setting = settingOfOption(optionPath);
  return `${setting} (${configKey(setting)} / ${envVar(setting)})`;
}

/** "`plume:apiUrl` (stack config) or PLUME_API_URL (environment)": both ways to set a setting. */
export function bothWays(setting: string): string {
  return `\`${configKey(setting)}\` (stack config) or ${envVar(setting)} (environment)`;
}

/** Where a setting's value came from. */
export type SettingSource = "stack config" | "environment";

/** A setting's value and where it came from. */
export interface FoundSetting {
  value: string;
  source: SettingSource;
}

/** A setting from stack config first, else the environment; an empty value counts as not set. */
export function findSetting(sources: SettingsSources, setting: string): FoundSetting | undefined {
  const fromConfig = sources.config(configKey(setting));
  if (fromConfig !== undefined && fromConfig !== "") return { value: fromConfig, source: "stack config" };
  const fromEnv = sources.env[envVar(setting)];
  return fromEnv !== undefined && fromEnv !== "" ? { value: fromEnv, source: "environment" } : undefined;
}

/** "`plume:token` (stack config)" or "PLUME_TOKEN (environment)": the one way a setting was set. */
export function whereSet(setting: string, source: SettingSource): string {
  return source === "stack config"
    ? `\`${configKey(setting)}\` (stack config)`
    : `${envVar(setting)} (environment)`;
}

/**
 * Whether any connection setting is set: the API URL or a setting of any auth mode, in either source. Without
 * one, nothing can be verified, and a preview goes ahead unverified.
 */
export function hasConnectionSettings(sources: SettingsSources): boolean {
  return ["apiUrl", ...Object.values(AUTH_MODES).flat()].some(
    (setting) => findSetting(sources, setting) !== undefined,
  );
}

/** Plume's web application firewall: calls allowed from one source IP per rolling five minutes. */
export const PLUME_FIREWALL_LIMIT = 2_000;

/** Plume's advice: at most this many requests per second. */
export const PLUME_ADVISED_REQUESTS_PER_SECOND = 6;

/** Plume's firewall window, in milliseconds: five minutes. */
export const PLUME_FIREWALL_WINDOW_MS = 300_000;

/**
 * Rate settings above what Plume allows: a `windowLimit` (per `windowMs`) that lets more than the firewall's
 * 2,000 calls through in some five minutes, or a `maxRequestsPerSecond` above Plume's advice of 6. Legal, since a
 * simulator or a private cloud may allow more, but worth a warning. Values that are no number are left to
 * the client's own checks.
 */
export function rateLimitWarnings(sources: SettingsSources): SettingsProblem[] {
  const warnings: SettingsProblem[] = [];
  const numberOf = (setting: string) => {
    const found = findSetting(sources, setting);
    const value = found === undefined ? NaN : Number(found.value.trim());
    return found !== undefined && Number.isFinite(value) && value > 0 ? { found, value } : undefined;
  };

  const windowLimit = numberOf("windowLimit");
  const windowMs = numberOf("windowMs")?.value ?? CLIENT_DEFAULTS.windowMs;
  if (windowLimit !== undefined) {
    // A rolling window shorter than Plume's lets its limit through once per window; a longer one, all at once.
    const perFiveMinutes = windowLimit.value * Math.max(1, Math.ceil(PLUME_FIREWALL_WINDOW_MS / windowMs));
    if (perFiveMinutes > PLUME_FIREWALL_LIMIT) {
      const windowText =
        windowMs === PLUME_FIREWALL_WINDOW_MS
          ? ""
          : ` per ${windowMs} ms, up to ${perFiveMinutes} calls in five minutes`;
      warnings.push({
        code: "above-plume-limit",
        path: "windowLimit",
        message:
          `${whereSet("windowLimit", windowLimit.found.source)} is ${windowLimit.value}${windowText}, above what Plume allows: ` +
          "Plume's firewall allows 2,000 calls in a rolling five-minute window from one source IP and refuses the " +
          "calls beyond it (HTTP 403) until the window frees up. Unless your Plume cloud allows more, leave " +
          `windowLimit and windowMs unset (default ${CLIENT_DEFAULTS.windowLimit} per ${CLIENT_DEFAULTS.windowMs} ms) ` +
          `or keep to at most ${PLUME_FIREWALL_LIMIT} per five minutes.`,
      });
    }
  }

  const perSecond = numberOf("maxRequestsPerSecond");
  if (perSecond !== undefined && perSecond.value > PLUME_ADVISED_REQUESTS_PER_SECOND) {
    warnings.push({
      code: "above-plume-limit",
      path: "maxRequestsPerSecond",
      message:
        `${whereSet("maxRequestsPerSecond", perSecond.found.source)} is ${perSecond.value}, above what Plume allows: ` +
        "Plume advises at most 6 requests per second. Unless your Plume cloud allows more, leave it unset " +
        `(default ${CLIENT_DEFAULTS.maxRequestsPerSecond}) or set at most ${PLUME_ADVISED_REQUESTS_PER_SECOND}.`,
    });
  }
  return warnings;
}

/** A placeholder in angle brackets left in a value, e.g. `<cloud-id>` from the docs' token URL. */
const PLACEHOLDER = /<[^<>]*>/;

/**
 * Placeholders left in settings: any `<...>` in a URL, id or e-mail (none of them can hold one), and a secret
 * that is nothing but a placeholder (`<client-secret>`; a real secret may contain angle brackets). A secret's
 * value is never shown.
 */
function placeholderProblems(sources: SettingsSources, settings: readonly string[]): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  for (const setting of settings) {
    const found = findSetting(sources, setting);
    if (!found) continue;
    const isSecret = SECRET_SETTINGS.includes(setting);
    const placeholder = isSecret
      ? /^\s*<[^<>]*>\s*$/.test(found.value)
        ? "a placeholder in angle brackets"
        : undefined
      : PLACEHOLDER.exec(found.value)?.[0];
    if (placeholder === undefined) continue;
    problems.push({
      code: "placeholder",
      path: setting,
      message:
        `still holds ${isSecret ? placeholder : `the placeholder \`${placeholder}\``}, set in ` +
        `${whereSet(setting, found.source)}: replace it with the real value (set in ${bothWays(setting)})`,
    });
  }
  return problems;
}

/** The known setting `name` most likely meant (same letters ignoring case, or at most two edits away). */
function closestSetting(name: string, known: readonly string[]): string | undefined {
  let best: { setting: string; distance: number } | undefined;
  for (const setting of known) {
    const distance = setting.toLowerCase() === name.toLowerCase() ? 0 : editDistance(setting, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { setting, distance };
  }
  return best?.setting;
}

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Keys of the `plume` config namespace that are no setting (a typo such as `plume:clientSecert` would
 * otherwise be silently ignored), each with the setting most likely meant. Empty when the keys are unknown.
 */
export function unknownSettingProblems(
  sources: SettingsSources,
  tuningOptions: readonly string[],
): SettingsProblem[] {
  const known = new Set<string>(["apiUrl", ...Object.values(AUTH_MODES).flat(), ...tuningOptions]);
  const problems: SettingsProblem[] = [];
  for (const key of sources.configKeys ?? []) {
    const setting = key.startsWith(`${CONFIG_NAMESPACE}:`)
      ? key.slice(CONFIG_NAMESPACE.length + 1)
      : undefined;
    if (setting === undefined || known.has(setting)) continue;
    const guess = closestSetting(setting, [...known]);
    problems.push({
      code: "unknown-setting",
      path: setting,
      message:
        `is unknown: \`${key}\` is not a pulumi-plume setting` +
        (guess ? ` (did you mean \`${configKey(guess)}\`?)` : "") +
        ": fix its name or remove it (`pulumi config rm`)",
    });
  }
  return problems;
}

/**
 * Resolves the connection settings: each setting from stack config first, else the environment. Exactly one
 * auth mode must be complete. `tuningOptions` names the client's tuning options (`maxRetries`, ...), read the
 * same way. Throws one {@link PlumeSettingsError} listing every problem; never includes a value in it.
 */
export function resolvePlumeSettings(
  sources: SettingsSources,
  tuningOptions: readonly string[],
): PlumeSettings {
  const lookup = (setting: string): string | undefined => findSetting(sources, setting)?.value;
  const problems: SettingsProblem[] = [];

  const apiUrl = lookup("apiUrl");
  if (apiUrl === undefined) {
    problems.push({
      code: "required",
      path: "apiUrl",
      message: `is not set: set the Plume API host (e.g. https://piranha-gamma.prod.us-west-2.aws.plumenet.io) in ${bothWays("apiUrl")}`,
    });
  }

  const modes = Object.keys(AUTH_MODES) as (keyof typeof AUTH_MODES)[];
  const started = modes.filter((mode) => AUTH_MODES[mode].some((setting) => lookup(setting) !== undefined));
  if (started.length === 0) {
    problems.push({
      code: "no-credentials",
      path: "auth",
      message:
        "is missing: no credentials are set; set exactly one of " +
        modes
          .map(
            (mode) =>
              `${AUTH_MODE_NAMES[mode]} (${AUTH_MODES[mode].map((setting) => bothWays(setting)).join(", ")})`,
          )
          .join("; or "),
    });
  } else if (started.length > 1) {
    problems.push({
      code: "auth-conflict",
      path: "auth",
      message:
        "is ambiguous: settings of more than one auth mode are set; keep exactly one: " +
        started
          .map((mode) => {
            const present = AUTH_MODES[mode].flatMap((setting) => {
              const found = findSetting(sources, setting);
              return found ? [whereSet(setting, found.source)] : [];
            });
            return `${AUTH_MODE_NAMES[mode]} (${present.join(", ")})`;
          })
          .join(" conflicts with ") +
        "; remove the others (`pulumi config rm plume:<name>` for stack config, unset PLUME_<NAME> in the environment)",
    });
  } else {
    for (const setting of AUTH_MODES[started[0]]) {
      if (lookup(setting) === undefined) {
        problems.push({
          code: "required",
          path: setting,
          message: `is not set but ${AUTH_MODE_NAMES[started[0]]} needs it: set ${bothWays(setting)}`,
        });
      }
    }
  }

  problems.push(...unknownSettingProblems(sources, tuningOptions));

  problems.push(
    ...placeholderProblems(sources, ["apiUrl", ...Object.values(AUTH_MODES).flat(), ...tuningOptions]),
  );

  const tuning: Record<string, string> = {};
  for (const option of tuningOptions) {
    const text = lookup(option);
    if (text !== undefined) tuning[option] = text;
  }

  if (problems.length > 0) {
    throw new PlumeSettingsError(problems);
  }
  const mode = started[0];
  const value = (setting: string) => lookup(setting) as string;
  const auth: PlumeAuth =
    mode === "oauth"
      ? {
          kind: "oauth",
          tokenUrl: value("tokenUrl"),
          clientId: value("clientId"),
          clientSecret: value("clientSecret"),
          partnerId: value("partnerId"),
        }
      : mode === "login"
        ? { kind: "login", email: value("email"), password: value("password") }
        : { kind: "token", token: value("token") };
  return { apiUrl: apiUrl as string, auth, tuning };
}

/**
 * A Plume client built from the settings (see {@link resolvePlumeSettings}), with `extra` options such as a
 * logger. The client checks the values; each problem it finds is named with both ways to set the setting,
 * and its runtime hints name settings as `apiUrl (plume:apiUrl / PLUME_API_URL)`. Throws one
 * {@link PlumeSettingsError} listing every problem.
 */
export function plumeClientFromSettings(
  sources: SettingsSources,
  extra: Pick<PlumeClientOptions, "logger"> = {},
): PlumeClient {
  const settings = resolvePlumeSettings(sources, TUNING_OPTIONS);
  try {
    return new PlumeClient({
      apiUrl: settings.apiUrl,
      auth: settings.auth,
      describeSetting: describeSettingOfOption,
      ...extra,
      ...settings.tuning,
    });
  } catch (error) {
    if (!(error instanceof PlumeConfigError)) throw error;
    throw new PlumeSettingsError(error.problems.map(settingsProblemFromClient));
  }
}

/** A client option's problem as a setting's: `auth.clientId` is the setting `clientId`, set two ways. */
function settingsProblemFromClient(problem: Problem): SettingsProblem {
  const setting = settingOfOption(problem.path);
  return { code: problem.code, path: setting, message: `${problem.message} (set in ${bothWays(setting)})` };
}
