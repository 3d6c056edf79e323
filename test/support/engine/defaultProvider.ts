/**
 * The `pulumi-nodejs` default provider of a deployment: one real dynamic-provider host process, started
 * when the first dynamic resource needs it and configured once with the whole stack config, as the
 * engine does. Every dynamic resource of the run goes through it.
 */
import { ProviderHost } from "../providerHost";
import { forgetChildProcess, killOnExit } from "./childProcesses";
import type { EngineLogLine } from "./resourceMonitor";

/** Where and how the host runs. */
export interface DefaultProviderOptions {
  /** The working directory: the program's, as the CLI starts plugins there. */
  cwd: string;
  stack: string;
  project: string;
  config: Record<string, string>;
  secretConfigKeys: string[];
  env: Record<string, string | undefined>;
}

/** The type of the default provider resource the engine records in the checkpoint. */
export const defaultProviderType = "pulumi:providers:pulumi-nodejs";

/** The lazily started, configured provider host of one run. */
export class DefaultProvider {
  private started: Promise<ProviderHost> | undefined;
  private killed = false;

  constructor(private readonly options: DefaultProviderOptions) {}

  /** The running host, started and configured on first use. */
  host(): Promise<ProviderHost> {
    this.started ??= this.startAndConfigure();
    return this.started;
  }

  /** True once a resource needed the provider. */
  get wasStarted(): boolean {
    return this.started !== undefined;
  }

  /**
   * Kills the host process with SIGKILL, as a crash or an OOM kill would; calls in flight and later
   * calls fail, and so does the run. Does nothing when no host was started yet.
   */
  async kill(): Promise<void> {
    if (!this.started) {
      return;
    }
    const host = await this.started;
    this.killed = true;
    process.kill(host.pid, "SIGKILL");
  }

  /** Log lines the host sent to the engine, and what it printed, as the CLI would show them. */
  async logs(): Promise<EngineLogLine[]> {
    if (!this.started) {
      return [];
    }
    const host = await this.started.catch(() => undefined);
    if (!host) {
      return [];
    }
    const printed = `${host.stdout}${host.stderr}`
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((message): EngineLogLine => ({ severity: "info", message, urn: "" }));
    return [...host.engineLogs.filter((line) => line.severity !== "debug"), ...printed];
  }

  /** Stops the host (if any). */
  async close(): Promise<void> {
    const host = await this.started?.catch(() => undefined);
    if (host) {
      forgetChildProcess(host.pid);
      await host.close().catch((error: unknown) => {
        if (!this.killed) {
          throw error;
        }
      });
    }
  }

  private async startAndConfigure(): Promise<ProviderHost> {
    const host = await ProviderHost.start({
      cwd: this.options.cwd,
      env: this.options.env,
      isolatePlumeEnv: true,
      stack: this.options.stack,
      project: this.options.project,
    });
    killOnExit(host.pid);
    await host.configure(this.options.config, this.options.secretConfigKeys);
    return host;
  }
}
