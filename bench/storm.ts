// The check + diff storm: thousands of unchanged resources checked and diffed at once in one host process,
// for the "10,000 check + diff under 5 s" and "peak RSS with 10,000 concurrent operations" targets. The
// same storm against a do-nothing provider measures the floor Pulumi's dynamic-provider host sets by itself.
import type * as pulumi from "@pulumi/pulumi";
import { ProviderHost, serializeProvider, type PropertyMap } from "../support/providerHost";
import type { StormFigures } from "./figures";
import type { PhaseContext, TrackedResource } from "./phases";
import { readCpuSeconds } from "./processStats";

/** What {@link runCheckDiffStorm} hands back. */
export interface StormRun {
  figures: StormFigures;
  /** The first failures, for the report. */
  failureSamples: string[];
}

/**
 * A provider that does nothing: check returns the inputs, diff reports no change. Its storm is the cost
 * of the host and the gRPC protocol alone.
 */
export const doNothingProvider: pulumi.dynamic.ResourceProvider = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async () => ({ changes: false }),
  create: async () => {
    throw new Error("the do-nothing provider creates nothing");
  },
};

/**
 * Checks `count` unchanged resources at once, then diffs them all at once, in one host process. The
 * resources are copies of `template` (a resource the create phase made) with their own ids, so the
 * provider sees exactly what a preview of a large, unchanged fleet sends it. The provider is loaded by one
 * untimed check first (its load time is reported apart). No API call is expected.
 */
export async function runCheckDiffStorm(
  context: PhaseContext,
  count: number,
  template: TrackedResource | undefined,
  serializedProvider: string,
): Promise<StormRun> {
  const resources = Array.from({ length: count + 1 }, (_, index) =>
    stormResource(index, template, serializedProvider),
  );
  const warmUp = resources.pop()!;
  const host = await ProviderHost.start({ cwd: context.hostDir });
  try {
    await host.configure(context.providerConfig, context.secretKeys);
    const loadStarted = performance.now();
    await host.check(warmUp.inputs, warmUp.inputs, warmUp.name);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const loadedRssBytes = host.peakRssBytes();
    const cpuBefore = readCpuSeconds(host.pid);
    const checkStarted = performance.now();
    const checks = await Promise.allSettled(
      resources.map((resource) => host.check(resource.inputs, resource.inputs, resource.name)),
    );
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const diffStarted = performance.now();
    const diffs = await Promise.allSettled(
      resources.map((resource, index) => {
        const check = checks[index];
        const checked = check.status === "fulfilled" ? check.value.inputs : resource.inputs;
        return host.diff(resource.id, resource.outputs, checked, resource.name);
      }),
    );
    const diffSeconds = (performance.now() - diffStarted) / 1000;
    const cpuAfter = readCpuSeconds(host.pid);
    const failureSamples: string[] = [];
    checks.forEach((check, index) => {
      const name = resources[index].name;
      if (check.status === "rejected") failureSamples.push(`check ${name}: ${String(check.reason)}`);
      else if (check.value.failures.length > 0) failureSamples.push(`check ${name}: input failures`);
    });
    diffs.forEach((diff, index) => {
      const name = resources[index].name;
      if (diff.status === "rejected") failureSamples.push(`diff ${name}: ${String(diff.reason)}`);
      else if (diff.value.changes !== "none") failureSamples.push(`diff ${name}: ${diff.value.changes}`);
    });
    const figures: StormFigures = {
      resources: count,
      checkSeconds,
      diffSeconds,
      totalSeconds: checkSeconds + diffSeconds,
      hostCpuSeconds: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined,
      loadSeconds,
      peakRssBytes: host.peakRssBytes(),
      loadedRssBytes,
    };
    return { figures, failureSamples: failureSamples.slice(0, 3) };
  } finally {
    await host.close();
  }
}

/**
 * The serialized do-nothing provider, for the floor storm; with `padToBytes`, lengthened by a trailing
 * comment to that size, to measure what the size of `__provider` alone costs the host (every check and
 * diff carries it in both old and new properties).
 */
export async function serializeDoNothingProvider(padToBytes = 0): Promise<string> {
  const text = await serializeProvider(doNothingProvider);
  const padding = padToBytes - Buffer.byteLength(text) - 3;
  return padding > 0 ? `${text}\n//${"-".repeat(padding)}` : text;
}

function stormResource(
  index: number,
  template: TrackedResource | undefined,
  serializedProvider: string,
): TrackedResource {
  const ids = {
    customerId: `storm-customer-${String(index).padStart(6, "0")}`,
    locationId: `storm-location-${String(index).padStart(6, "0")}`,
    serviceId: `storm-svc-${index}`,
  };
  const inputs: PropertyMap = {
    profile: "auto",
    ...template?.inputs,
    ...ids,
    __provider: serializedProvider,
  };
  const outputs: PropertyMap = {
    profile: "auto",
    locationName: `Storm home ${index}`,
    ...template?.outputs,
    ...ids,
    __provider: serializedProvider,
  };
  return { name: `storm-${index}`, inputs, id: `${ids.customerId}/${ids.locationId}`, outputs };
}
