// The credential check of a provider process. The first check or diff verifies the connection settings once
// (one token request, never a location call), so a preview fails on settings that cannot be right or on
// credentials Plume refuses, instead of the `pulumi up` after a merge. A preview without any connection
// setting (a pull request without secrets) still runs, and says once that nothing was verified.
import type { PlumeClient } from "../client";
import { PlumeError } from "../client/errors";
import { tellOperator } from "./operatorNotice";
import {
  hasConnectionSettings,
  PlumeSettingsError,
  unknownSettingProblems,
  type SettingsSources,
} from "./settings";

/** What the credential check of a process found. */
export type CredentialCheckOutcome =
  /** No apiUrl and no credentials: nothing could be verified; a note said so. */
  | { status: "unconfigured" }
  /** Plume issued a token for the credentials. */
  | { status: "verified" }
  /** A ready token (`plume:token`): only a location call could check it, and the check makes none. */
  | { status: "unverifiable" }
  /** The settings cannot be right, or Plume refused the credentials (or could not be reached). */
  | { status: "failed"; error: Error };

/** The note of a process that has no connection settings at all. */
export const NOTHING_VERIFIED_NOTE =
  "no Plume connection settings are set (plume:apiUrl and credentials in stack config, or PLUME_* " +
  "environment variables), so nothing was verified against Plume: only the resources' inputs were checked. " +
  "`pulumi up` will need them.";

/**
 * Verifies the connection settings of one provider process, at most once: concurrent and later callers share
 * the first run's outcome, so a preview of a thousand locations makes one token request. The token it fetches
 * stays in the process-wide token source, so the creates that follow in the same process send no second
 * token request.
 */
export class CredentialCheck {
  private outcome: Promise<CredentialCheckOutcome> | undefined;

  constructor(
    private readonly sources: SettingsSources,
    /** The client's tuning options, so a key of the `plume` namespace that is none of them is reported. */
    private readonly tuningOptions: readonly string[],
    /** The client built from the settings; throws `PlumeSettingsError` for settings that cannot be right. */
    private readonly client: () => PlumeClient,
  ) {}

  /** The outcome, verifying on the first call. Never rejects. */
  outcomeOnce(): Promise<CredentialCheckOutcome> {
    this.outcome ??= this.verify();
    return this.outcome;
  }

  /** The error of a failed check, or `undefined` when there is nothing to fail for. */
  async failure(): Promise<Error | undefined> {
    const outcome = await this.outcomeOnce();
    return outcome.status === "failed" ? outcome.error : undefined;
  }

  private async verify(): Promise<CredentialCheckOutcome> {
    if (!hasConnectionSettings(this.sources)) {
      // A misspelt key (`plume:apiURL`) is not "no settings": it is a setting that cannot be right.
      const unknownKeys = unknownSettingProblems(this.sources, this.tuningOptions);
      if (unknownKeys.length > 0) return { status: "failed", error: new PlumeSettingsError(unknownKeys) };
      tellOperator(NOTHING_VERIFIED_NOTE);
      return { status: "unconfigured" };
    }
    try {
      return { status: (await this.client().authenticate()) ? "verified" : "unverifiable" };
    } catch (error) {
      return { status: "failed", error: error instanceof Error ? error : new Error(String(error)) };
    }
  }
}

/**
 * The text of a check failure for `error`: a Plume error (settings, token, network) already reads on its own
 * and ends with its hint; anything else is named as a failed verification.
 */
export function credentialFailureReason(error: Error): string {
  return error instanceof PlumeError
    ? error.message
    : `Could not verify the Plume connection settings: ${error.message}`;
}
