import type { PlumeClient } from "../client";
import { plumeClientFromSettings, rateLimitWarnings } from "../core/settings";
import type { CliIo } from "./io";
import { readSettingsFile, settingsSources } from "./settingsFile";

/**
 * A Plume client built as the provider builds its own: the `plume:*` keys of `configFile` (a stack settings
 * file, relative to `io.cwd`) first, the PLUME_* environment second, resolved by the provider's
 * `plumeClientFromSettings`. Rate settings above Plume's limits are warned about on stderr. Throws
 * `PlumeSettingsError` listing every problem, or a `CliError` for an unreadable file or an encrypted secret.
 */
export function connectToPlume(
  configFile: string | undefined,
  io: Pick<CliIo, "env" | "cwd" | "stderr">,
): PlumeClient {
  const settingsFile = configFile === undefined ? undefined : readSettingsFile(configFile, io.cwd);
  const sources = settingsSources(settingsFile, io.env);
  const client = plumeClientFromSettings(sources, { logger: (line) => io.stderr.write(`${line}\n`) });
  for (const warning of rateLimitWarnings(sources)) io.stderr.write(`warning: ${warning.message}\n`);
  return client;
}
