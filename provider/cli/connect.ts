import { PlumeClient, PlumeConfigError } from "../client";
import {
  rateLimitWarnings,
  resolvePlumeSettings,
  settingsErrorFromClient,
  TUNING_OPTIONS,
} from "../resource/settings";
import type { OutputStream } from "./io";
import { readSettingsFile, settingsSources } from "./settingsFile";

/**
 * A Plume client built as the provider builds its own: the `plume:*` keys of `configFile` (a stack settings
 * file) first, the PLUME_* environment second, resolved by the provider's `resolvePlumeSettings`. Rate
 * settings above Plume's limits are warned about on `warnings`. Throws `PlumeSettingsError` listing every
 * problem, or a `CliError` for an unreadable file or an encrypted secret.
 */
export function connectToPlume(
  configFile: string | undefined,
  env: Record<string, string | undefined>,
  warnings: OutputStream,
): PlumeClient {
  const sources = settingsSources(configFile === undefined ? undefined : readSettingsFile(configFile), env);
  const settings = resolvePlumeSettings(sources, TUNING_OPTIONS);
  let client: PlumeClient;
  try {
    client = new PlumeClient({
      apiUrl: settings.apiUrl,
      auth: settings.auth,
      logger: (line) => warnings.write(`${line}\n`),
      ...settings.tuning,
    });
  } catch (error) {
    throw error instanceof PlumeConfigError ? settingsErrorFromClient(error) : error;
  }
  for (const warning of rateLimitWarnings(sources)) warnings.write(`warning: ${warning.message}\n`);
  return client;
}
