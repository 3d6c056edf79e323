/**
 * The engine's step logic for one run, driving the default provider the way `pulumi up`, `preview`,
 * `refresh` and `destroy` do:
 *
 * - a registered dynamic resource is checked (olds: its inputs in the checkpoint), then created, or
 *   diffed against its old outputs and left alone, updated or replaced (delete first when the provider
 *   or the `deleteBeforeReplace` option asks for it);
 * - once the program has finished successfully, resources of the checkpoint it did not register are
 *   deleted, after every create and update, together with the old halves of create-before-delete
 *   replacements;
 * - preview stops after check and diff; refresh reads every resource; destroy deletes them all;
 * - after the first failed step no new step starts, and resources not yet stepped keep their old state.
 */
import { randomUUID } from "node:crypto";

import { defaultProviderType, type DefaultProvider } from "./defaultProvider";
import type { EngineLogLine, MonitorHandlers, Registration, RegistrationResult } from "./resourceMonitor";
import type { ResourceState, StackState } from "./state";
import { changedKeys, type Operation, type StepRecord } from "./steps";
import { aliasUrns, formatUrn, parseUrn, resourceUrn, rootStackType } from "./urn";

/** What a deployment needs to know. */
export interface DeploymentContext {
  stack: string;
  project: string;
  /** True for preview: check and diff only. */
  dryRun: boolean;
  parallel: number;
  oldState: StackState;
  provider: DefaultProvider;
  onStep?: (step: StepRecord) => void;
}

const secretSignatureKey = "4dabf18193072939515e22adb298388d";
const dynamicTypePrefix = "pulumi-nodejs:dynamic";

/**
 * The plain value inside secrets: the dynamic provider answers Configure with `acceptSecrets: false`,
 * so the engine hands it plain values.
 */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(unwrapSecrets);
  }
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (secretSignatureKey in object) {
      return unwrapSecrets(object.value);
    }
    return Object.fromEntries(Object.entries(object).map(([key, inner]) => [key, unwrapSecrets(inner)]));
  }
  return value;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A counting semaphore: at most `limit` steps at once, as `--parallel` bounds the step executor. */
class StepLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.running -= 1;
      }
    }
  }
}

/** One run's deployment: answers the monitor, records steps, and builds the new checkpoint. */
export class Deployment implements MonitorHandlers {
  /** Steps in the order they completed. */
  readonly steps: StepRecord[] = [];
  readonly errors: string[] = [];
  readonly logs: EngineLogLine[] = [];
  stackOutputs: Record<string, unknown> = {};

  private readonly oldByUrn: Map<string, ResourceState>;
  /** Old entries the program registered again (directly or through an alias). */
  private readonly claimedOld = new Set<ResourceState>();
  /** Old entries a successful step replaced with a new entry. */
  private readonly supersededOld = new Set<ResourceState>();
  /** Old entries whose resource no longer exists (deleted, or found gone by a refresh). */
  private readonly removedOld = new Set<ResourceState>();
  /** New checkpoint entries, by new URN, in registration order. */
  private readonly newResources = new Map<string, ResourceState>();
  /** Old halves of create-before-delete replacements, deleted with the other deletes. */
  private readonly pendingReplacementDeletes: ResourceState[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly limiter: StepLimiter;
  private stopped = false;
  private signalStopped: () => void = () => undefined;
  /** Settles when the first failure stopped the deployment; the engine then cancels the program. */
  readonly whenStopped = new Promise<void>((resolve) => (this.signalStopped = resolve));
  private finished: Promise<void> | undefined;
  private stackUrn = "";
  private readonly providerUrn: string;
  private readonly providerId: string;

  constructor(private readonly context: DeploymentContext) {
    this.limiter = new StepLimiter(context.parallel);
    this.oldByUrn = new Map(
      context.oldState.resources
        .filter((resource) => !resource.pendingDelete)
        .map((resource) => [resource.urn, resource]),
    );
    this.providerUrn = formatUrn({
      stack: context.stack,
      project: context.project,
      qualifiedType: defaultProviderType,
      name: "default",
    });
    this.providerId = this.oldByUrn.get(this.providerUrn)?.id ?? randomUUID();
  }

  /** True when no step failed. */
  get succeeded(): boolean {
    return this.errors.length === 0;
  }

  /** Records a failure that is not a step's (the program's exit, a timeout) and stops new steps. */
  fail(message: string): void {
    this.errors.push(message);
    this.stop();
  }

  /** Waits for the steps in flight. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private stop(): void {
    this.stopped = true;
    this.signalStopped();
  }

  registerResource(registration: Registration): Promise<RegistrationResult> {
    const work = this.register(registration);
    this.inFlight.add(work);
    const forget = (): void => {
      this.inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  registerResourceOutputs(urn: string, outputs: Record<string, unknown>): void {
    if (urn === this.stackUrn) {
      this.stackOutputs = outputs;
    }
    const resource = this.newResources.get(urn);
    if (resource && !resource.custom) {
      resource.outputs = outputs;
    }
  }

  log(line: EngineLogLine): void {
    this.logs.push(line);
  }

  signalAndWaitForShutdown(): Promise<void> {
    return this.finishProgram();
  }

  /**
   * Runs the steps that follow a successful program: deletes of the resources it no longer declares.
   * Idempotent: the SDK asks through `SignalAndWaitForShutdown`, the run asks again once the program exits.
   */
  finishProgram(): Promise<void> {
    this.finished ??= this.deleteLeftovers();
    return this.finished;
  }

  /** `pulumi refresh`: reads every custom resource of the checkpoint. */
  async refresh(): Promise<void> {
    const resources = this.context.oldState.resources.filter(
      (resource) => resource.custom && this.isDynamic(resource),
    );
    await Promise.all(resources.map((resource) => this.limiter.run(() => this.readStep(resource))));
  }

  /** `pulumi destroy`: deletes every custom resource, newest first. */
  async destroy(): Promise<void> {
    const resources = this.context.oldState.resources.filter(
      (resource) => resource.custom && this.isDynamic(resource),
    );
    await Promise.all(
      resources.reverse().map((resource) => this.limiter.run(() => this.deleteStep(resource))),
    );
    if (!this.stopped) {
      // The stack and components go last, and only when every resource is gone.
      for (const resource of this.context.oldState.resources) {
        if (!resource.custom) {
          this.removedOld.add(resource);
        }
      }
    }
  }

  /** The checkpoint after this run. A preview leaves the old one as it was. */
  newState(): StackState {
    if (this.context.dryRun) {
      return structuredClone(this.context.oldState);
    }
    const resources: ResourceState[] = [...this.newResources.values()];
    for (const old of this.context.oldState.resources) {
      if (old.urn === this.providerUrn || this.supersededOld.has(old) || this.removedOld.has(old)) {
        continue;
      }
      resources.push(old);
    }
    for (const pending of this.pendingReplacementDeletes) {
      if (!this.removedOld.has(pending)) {
        // Like the engine, keep the old half of a replacement whose delete failed, marked for deletion.
        resources.push({ ...pending, pendingDelete: true });
      }
    }
    const usesProvider = resources.some((resource) => resource.custom);
    if (!usesProvider) {
      return { version: 1, resources };
    }
    const provider: ResourceState = {
      urn: this.providerUrn,
      type: defaultProviderType,
      custom: true,
      id: this.providerId,
      inputs: {},
      outputs: {},
      dependencies: [],
    };
    const stackIndex = resources.findIndex((resource) => resource.type === rootStackType);
    resources.splice(stackIndex + 1, 0, provider);
    return { version: 1, resources };
  }

  private isDynamic(resource: ResourceState): boolean {
    return resource.type.startsWith(dynamicTypePrefix);
  }

  private record(step: StepRecord): void {
    this.steps.push(step);
    if (step.error) {
      this.errors.push(`${step.op} ${step.urn}: ${step.error}`);
      this.stop();
    }
    this.context.onStep?.(step);
  }

  private async register(registration: Registration): Promise<RegistrationResult> {
    const isStack = registration.type === rootStackType && !registration.parent;
    const urn = isStack
      ? resourceUrn(this.context.stack, this.context.project, rootStackType, registration.name, "")
      : resourceUrn(
          this.context.stack,
          this.context.project,
          registration.type,
          registration.name,
          registration.parent,
        );
    if (isStack) {
      this.stackUrn = urn;
    }
    const old = this.findOld(urn, registration);
    if (!registration.custom) {
      if (old) {
        this.supersededOld.add(old);
      }
      this.newResources.set(urn, {
        urn,
        type: registration.type,
        custom: false,
        ...(registration.parent ? { parent: registration.parent } : {}),
        inputs: registration.inputs,
        outputs: old?.outputs ?? {},
        dependencies: registration.dependencies,
      });
      return { urn, outputs: {} };
    }
    const problem = this.unsupported(registration);
    if (problem) {
      this.fail(`${urn}: ${problem}`);
      throw new Error(problem);
    }
    return this.limiter.run(() => this.customStep(urn, registration, old));
  }

  private findOld(urn: string, registration: Registration): ResourceState | undefined {
    const aliases = [
      ...registration.aliasUrns,
      ...aliasUrns(
        {
          stack: this.context.stack,
          project: this.context.project,
          type: registration.type,
          name: registration.name,
          parentUrn: registration.parent,
        },
        registration.aliasSpecs,
      ),
    ];
    for (const candidate of [urn, ...aliases]) {
      const old = this.oldByUrn.get(candidate);
      if (old && !this.claimedOld.has(old)) {
        this.claimedOld.add(old);
        return old;
      }
    }
    return undefined;
  }

  private unsupported(registration: Registration): string | undefined {
    if (!registration.type.startsWith(dynamicTypePrefix)) {
      return `the test engine only runs dynamic resources, not ${registration.type}`;
    }
    if (registration.provider) {
      return "the test engine does not support explicit providers on dynamic resources";
    }
    if (registration.importId) {
      return "the import option does not work for dynamic resources";
    }
    return undefined;
  }

  private async customStep(
    urn: string,
    registration: Registration,
    old: ResourceState | undefined,
  ): Promise<RegistrationResult> {
    const name = parseUrn(urn).name;
    const base: Omit<StepRecord, "op"> = { urn, name, type: registration.type, changedKeys: [] };
    if (this.stopped) {
      // The engine stops launching steps after a failure; the resource keeps its old state.
      throw new Error("the deployment stopped after an earlier failure");
    }
    let op: Operation = old ? "same" : "create";
    try {
      const host = await this.context.provider.host();
      const news = unwrapSecrets(registration.inputs) as Record<string, unknown>;
      for (const key of old ? registration.ignoreChanges : []) {
        if (old && key in old.inputs) {
          news[key] = old.inputs[key];
        } else {
          delete news[key];
        }
      }
      const checked = await host.check(old?.inputs ?? {}, news, name);
      if (checked.failures.length > 0) {
        const reasons = checked.failures
          .map((failure) => `${failure.property}: ${failure.reason}`)
          .join("; ");
        throw new Error(`check failed: ${reasons}`);
      }
      const inputs = checked.inputs;
      let id = old?.id;
      let outputs: Record<string, unknown>;
      let changed: string[] = [];
      if (!old) {
        if (this.context.dryRun) {
          outputs = inputs;
          id = undefined;
        } else {
          const created = await host.create(inputs, name);
          id = created.id;
          outputs = created.properties;
        }
      } else {
        const diff = await host.diff(old.id ?? "", old.outputs, inputs, name);
        changed = changedKeys(old.inputs, inputs).filter((key) => key !== "__provider");
        const hasChanges =
          diff.changes === "some" ||
          (diff.changes === "unknown" && changedKeys(old.inputs, inputs).length > 0);
        op = !hasChanges ? "same" : diff.replaces.length > 0 ? "replace" : "update";
        if (op === "same" || this.context.dryRun) {
          outputs = op === "same" ? old.outputs : inputs;
        } else if (op === "update") {
          outputs = await host.update(old.id ?? "", old.outputs, inputs, name);
        } else {
          const deleteFirst = diff.deleteBeforeReplace || registration.deleteBeforeReplace === true;
          if (deleteFirst) {
            await host.delete(old.id ?? "", old.outputs, parseUrn(old.urn).name);
            this.removedOld.add(old);
          }
          const created = await host.create(inputs, name);
          id = created.id;
          outputs = created.properties;
          if (!deleteFirst) {
            this.pendingReplacementDeletes.push(old);
          }
        }
      }
      if (!this.context.dryRun) {
        if (old) {
          this.supersededOld.add(old);
        }
        this.newResources.set(urn, {
          urn,
          type: registration.type,
          custom: true,
          id,
          ...(registration.parent ? { parent: registration.parent } : {}),
          provider: `${this.providerUrn}::${this.providerId}`,
          inputs,
          outputs,
          dependencies: registration.dependencies,
          ...(registration.deleteBeforeReplace !== undefined
            ? { deleteBeforeReplace: registration.deleteBeforeReplace }
            : {}),
          ...(registration.protect ? { protect: true } : {}),
          ...(registration.retainOnDelete ? { retainOnDelete: true } : {}),
        });
      }
      this.record({ ...base, op, ...(id ? { id } : {}), changedKeys: changed });
      return { urn, ...(id ? { id } : {}), outputs };
    } catch (error) {
      this.record({ ...base, op, ...(old?.id ? { id: old.id } : {}), error: errorMessage(error) });
      throw error;
    }
  }

  private async deleteLeftovers(): Promise<void> {
    await this.settle();
    if (this.stopped) {
      return;
    }
    const leftovers = this.context.oldState.resources.filter(
      (resource) => !this.claimedOld.has(resource) && resource.urn !== this.providerUrn,
    );
    for (const resource of leftovers) {
      if (!resource.custom) {
        this.removedOld.add(resource);
        this.record({
          op: "delete",
          urn: resource.urn,
          name: parseUrn(resource.urn).name,
          type: resource.type,
          changedKeys: [],
        });
      }
    }
    const doomed = [
      ...this.pendingReplacementDeletes,
      ...leftovers.filter((resource) => resource.custom).reverse(),
    ];
    await Promise.all(
      doomed.map((resource) =>
        this.limiter.run(async () => {
          if (this.pendingReplacementDeletes.includes(resource)) {
            await this.deleteReplaced(resource);
          } else {
            await this.deleteStep(resource);
          }
        }),
      ),
    );
  }

  /** Deletes the old half of a replacement; its step was already recorded as the `replace`. */
  private async deleteReplaced(resource: ResourceState): Promise<void> {
    if (this.context.dryRun) {
      return;
    }
    try {
      const host = await this.context.provider.host();
      await host.delete(resource.id ?? "", resource.outputs, parseUrn(resource.urn).name);
      this.removedOld.add(resource);
    } catch (error) {
      this.fail(`delete of replaced ${resource.urn}: ${errorMessage(error)}`);
    }
  }

  private async deleteStep(resource: ResourceState): Promise<void> {
    const name = parseUrn(resource.urn).name;
    const base = { op: "delete" as const, urn: resource.urn, name, type: resource.type, changedKeys: [] };
    if (this.stopped && !this.context.dryRun) {
      return;
    }
    try {
      if (resource.protect) {
        throw new Error("the resource is protected; unprotect it before it can be deleted");
      }
      if (!this.context.dryRun && !resource.retainOnDelete) {
        if (!this.isDynamic(resource)) {
          throw new Error(`the test engine cannot delete ${resource.type}`);
        }
        const host = await this.context.provider.host();
        await host.delete(resource.id ?? "", resource.outputs, name);
      }
      if (!this.context.dryRun) {
        this.removedOld.add(resource);
      }
      this.record({ ...base, ...(resource.id ? { id: resource.id } : {}) });
    } catch (error) {
      this.record({ ...base, ...(resource.id ? { id: resource.id } : {}), error: errorMessage(error) });
    }
  }

  private async readStep(resource: ResourceState): Promise<void> {
    const name = parseUrn(resource.urn).name;
    const base = { op: "read" as const, urn: resource.urn, name, type: resource.type };
    try {
      const host = await this.context.provider.host();
      const read = await host.read(resource.id ?? "", resource.outputs, resource.inputs, name);
      if (!read.id) {
        this.removedOld.add(resource);
        this.oldByUrn.delete(resource.urn);
        this.record({
          ...base,
          id: resource.id,
          changedKeys: Object.keys(resource.outputs).sort(),
          gone: true,
        });
        return;
      }
      const refreshed: ResourceState = {
        ...resource,
        id: read.id,
        outputs: read.properties,
        inputs: read.inputs ?? resource.inputs,
      };
      this.replaceOld(resource, refreshed);
      this.record({ ...base, id: read.id, changedKeys: changedKeys(resource.outputs, read.properties) });
    } catch (error) {
      this.record({
        ...base,
        ...(resource.id ? { id: resource.id } : {}),
        changedKeys: [],
        error: errorMessage(error),
      });
    }
  }

  /** Swaps a checkpoint entry for its refreshed version, so the rest of the run sees the new one. */
  private replaceOld(old: ResourceState, refreshed: ResourceState): void {
    const resources = this.context.oldState.resources;
    resources[resources.indexOf(old)] = refreshed;
    this.oldByUrn.set(refreshed.urn, refreshed);
  }
}
