// The provider phases: N PlumeLocationService resources driven through Pulumi's real dynamic-provider host,
// every operation of a phase issued at once as the engine does. Each phase runs in its own host process,
// as each `pulumi` command does, and is measured from the simulator's side.
import { ProviderHost, type PropertyMap, type ProviderHostError } from "../support/providerHost";
import type { ApiCall } from "./baselines";
import type { CallMark } from "./chart";
import type { PhaseFigures } from "./figures";
import { physicalLimitSeconds, ratioToLimit, type FirewallWindow } from "./limits";
import { countRetries, type BenchSimulator } from "./simulatorView";

/** One resource as the engine tracks it between phases. */
export interface TrackedResource {
  /** The resource name (the last part of its URN). */
  name: string;
  /** The checked inputs, `__provider` included. */
  inputs: PropertyMap;
  /** The id create returned; empty until created. */
  id: string;
  /** The outputs, `__provider` included; empty until created. */
  outputs: PropertyMap;
}

/** What every phase needs. */
export interface PhaseContext {
  sim: BenchSimulator;
  firewall: FirewallWindow;
  /** Stack config the host is configured with (`plume:*` keys). */
  providerConfig: Record<string, string>;
  /** Which of those keys are secrets. */
  secretKeys: string[];
  /** Working directory of the host processes: the project the provider is installed in. */
  hostDir: string;
  /** Progress lines. */
  log: (line: string) => void;
}

/** What one phase produced. */
export interface PhaseRun {
  figures: PhaseFigures;
  /** Peak RSS of the phase's host process, in bytes. */
  peakRssBytes?: number;
  /** The calls the simulator saw, for the chart. */
  marks: CallMark[];
  /** The API calls that succeeded, in order, for the baselines to replay. */
  succeededCalls: ApiCall[];
  /** The first failures, for the report. */
  failureSamples: string[];
}

/**
 * Runs one phase in a fresh host process: configures it, then runs `operation` for every resource at once,
 * and measures wall time and what the simulator saw. An operation that throws counts as a failed resource.
 */
export async function runProviderPhase(
  context: PhaseContext,
  phase: string,
  resources: TrackedResource[],
  operation: (host: ProviderHost, resource: TrackedResource) => Promise<void>,
): Promise<PhaseRun> {
  const { sim } = context;
  const host = await ProviderHost.start({ cwd: context.hostDir });
  try {
    await host.configure(context.providerConfig, context.secretKeys);
    sim.resetCounters();
    const started = performance.now();
    const outcomes = await Promise.allSettled(resources.map((resource) => operation(host, resource)));
    const wallSeconds = (performance.now() - started) / 1000;
    const counters = sim.counters();
    const times = sim.callTimes();
    const log = sim.requestLog().filter((entry) => entry.path.startsWith("/api"));
    const failures = outcomes.filter(
      (outcome): outcome is PromiseRejectedResult => outcome.status === "rejected",
    );
    const figures: PhaseFigures = {
      phase,
      client: "provider",
      operations: resources.length,
      failedOperations: failures.length,
      wallSeconds,
      apiCalls: counters.apiCalls,
      firewallRejections: counters.firewallRejections,
      tooManyRequests: counters.byStatus["429"] ?? 0,
      retries: countRetries(log),
      tokenRequests: counters.tokenRequests,
      physicalLimitSeconds: physicalLimitSeconds(counters.apiCalls, context.firewall),
      ratio: ratioToLimit(wallSeconds, counters.apiCalls, context.firewall),
    };
    context.log(
      `${phase}: ${resources.length - failures.length}/${resources.length} ok in ${wallSeconds.toFixed(1)} s, ` +
        `${counters.apiCalls} API calls, ${counters.firewallRejections} firewall 403s`,
    );
    return {
      figures,
      peakRssBytes: host.peakRssBytes(),
      marks: [
        ...times.accepted.map((atMs) => ({ atMs, rejected: false })),
        ...times.rejected.map((atMs) => ({ atMs, rejected: true })),
      ],
      succeededCalls: log
        .filter((entry) => entry.status >= 200 && entry.status < 300)
        .map((entry) => ({ method: entry.method, path: entry.path, body: entry.body })),
      failureSamples: failures.slice(0, 3).map((failure) => describeFailure(failure.reason)),
    };
  } finally {
    await host.close();
  }
}

/** Create, as `pulumi up` does for a new resource: check the inputs, then create. */
export async function createResource(host: ProviderHost, resource: TrackedResource): Promise<void> {
  const checked = await checkWithoutFailures(host, {}, resource.inputs, resource.name);
  const created = await host.create(checked, resource.name);
  resource.inputs = checked;
  resource.id = created.id;
  resource.outputs = created.properties;
}

/**
 * The no-change pass, as `pulumi preview` does for an unchanged resource: check, then diff against the old
 * outputs. A diff that reports changes counts as a failure: nothing changed.
 */
export async function checkAndDiffUnchanged(host: ProviderHost, resource: TrackedResource): Promise<void> {
  const checked = await checkWithoutFailures(host, resource.inputs, resource.inputs, resource.name);
  const diff = await host.diff(resource.id, resource.outputs, checked, resource.name);
  if (diff.changes !== "none") {
    throw new Error(`${resource.name}: diff reported "${diff.changes}" for unchanged inputs`);
  }
}

/** Refresh, as `pulumi refresh` does: read the resource by id with its old outputs and inputs. */
export async function refreshResource(host: ProviderHost, resource: TrackedResource): Promise<void> {
  const read = await host.read(resource.id, resource.outputs, resource.inputs, resource.name);
  if (read.id === "") throw new Error(`${resource.name}: refresh found the location gone`);
  resource.outputs = read.properties;
}

/** Update with a new serviceId, as `pulumi up` does: check, diff, then update. */
export async function updateServiceId(host: ProviderHost, resource: TrackedResource): Promise<void> {
  const news = { ...resource.inputs, serviceId: `${String(resource.inputs.serviceId)}-v2` };
  const checked = await checkWithoutFailures(host, resource.inputs, news, resource.name);
  const diff = await host.diff(resource.id, resource.outputs, checked, resource.name);
  if (diff.changes !== "some") {
    throw new Error(`${resource.name}: diff reported "${diff.changes}" for a new serviceId`);
  }
  resource.outputs = await host.update(resource.id, resource.outputs, checked, resource.name);
  resource.inputs = checked;
}

/** Delete, as `pulumi destroy` does, with the old outputs. */
export async function deleteResource(host: ProviderHost, resource: TrackedResource): Promise<void> {
  await host.delete(resource.id, resource.outputs, resource.name);
}

async function checkWithoutFailures(
  host: ProviderHost,
  olds: PropertyMap,
  news: PropertyMap,
  name: string,
): Promise<PropertyMap> {
  const checked = await host.check(olds, news, name);
  if (checked.failures.length > 0) {
    const reasons = checked.failures.map((failure) => `${failure.property}: ${failure.reason}`).join("; ");
    throw new Error(`${name}: check refused the inputs: ${reasons}`);
  }
  return checked.inputs;
}

function describeFailure(reason: unknown): string {
  const error = reason as Partial<ProviderHostError> & Error;
  return (error.details ?? error.message ?? String(reason)).split("\n")[0];
}
