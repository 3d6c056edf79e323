// Interim stand-in for provider/core/locationService.ts until it lands on main: the LocationCore API over the
// dynamic provider's class. Removed by the merge that wires the plugin to the real core.
import { PlumeClient, PlumeConfigError } from "../client";
import { PlumeLocationServiceProvider } from "../resource/dynamicProvider";
import { UNKNOWN_VALUE } from "../resource/schema";
import {
  PlumeSettingsError,
  resolvePlumeSettings,
  settingsErrorFromClient,
  TUNING_OPTIONS,
  type SettingsSources,
} from "../resource/settings";
import type { LocationCore, LocationOutputs } from "./server";

/** The LocationCore API over the dynamic provider (interim). */
export class LocationService implements LocationCore {
  private readonly provider = new PlumeLocationServiceProvider();
  private sources: SettingsSources = { config: () => undefined, env: process.env };

  configure(sources: SettingsSources): void {
    this.sources = sources;
    void this.provider.configure({
      config: {
        get: (key: string) => sources.config(key),
        rawConfig: Object.fromEntries((sources.configKeys ?? []).map((key) => [key, ""])),
      },
    } as never);
  }

  settingsProblems(): { setting: string; message: string }[] {
    try {
      const settings = resolvePlumeSettings(this.sources, TUNING_OPTIONS);
      new PlumeClient({ apiUrl: settings.apiUrl, auth: settings.auth, ...settings.tuning });
      return [];
    } catch (error) {
      if (error instanceof PlumeSettingsError) return [...error.problems];
      if (error instanceof PlumeConfigError) return [...settingsErrorFromClient(error).problems];
      throw error;
    }
  }

  async check(news: Record<string, unknown>) {
    const result = await this.provider.check({}, news);
    return { inputs: result.inputs as Record<string, unknown>, failures: result.failures ?? [] };
  }

  async diff(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const result = await this.provider.diff("", olds as never, news);
    const updates = ["serviceId", "profile"].filter(
      (key) =>
        news[key] === UNKNOWN_VALUE || (news[key] ?? (key === "profile" ? "auto" : undefined)) !== olds[key],
    );
    return {
      changes: result.changes ?? false,
      replaces: result.replaces ?? [],
      updates,
      deleteBeforeReplace: result.deleteBeforeReplace ?? false,
    };
  }

  async create(inputs: Record<string, unknown>) {
    const result = await this.provider.create(inputs);
    return { id: result.id, outputs: result.outs as LocationOutputs };
  }

  async read(id: string, props?: Partial<LocationOutputs>) {
    const result = await this.provider.read(id, props as LocationOutputs);
    return !result.id ? undefined : { id: result.id, outputs: result.props as LocationOutputs };
  }

  async update(id: string, news: Record<string, unknown>) {
    return (await this.provider.update(id, {} as LocationOutputs, news)).outs as LocationOutputs;
  }

  async delete(id: string, props: LocationOutputs) {
    await this.provider.delete(id, props);
  }
}
