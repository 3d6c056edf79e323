// The native provider's scenario, the same for every language: a program of that language declares locations
// with `plume:index:LocationService`, and the real Pulumi CLI runs it against the simulator through the
// `plume` plugin of this checkout (bin/pulumi-resource-plume, named in the project's Pulumi.yaml).
//
//   import of a live location (no write) -> preview: exactly the writes still needed, field by field
//   -> up: only those writes -> drift in Plume: refresh records it -> preview of a profile change names
//   `profile` for one location and `serviceId` (the drift to undo) for another -> destroy: every location
//   back on HomePass
import assert from "node:assert/strict";
import type { TestStack } from "../../support/pulumiStack";
import { assertSucceeded, patchesSeen, startSimulatedFleet, type SimulatedFleet } from "../simulatedFleet";

/** The native resource's type token. */
export const NATIVE_RESOURCE = "plume:index:LocationService";

/** One location as a test program declares it. */
export interface DeclaredLocation {
  /** The resource name. */
  name: string;
  customerId: string;
  locationId: string;
  serviceId: string;
  profile: "auto" | "smallbusiness";
}

/** A program of one language, and how a test declares its locations. */
export interface NativeProgram {
  /** The language, as the test names it. */
  language: string;
  /** A stack of the program in a scratch directory, with `config` (plain and secret) set. */
  createStack(config: {
    config: Record<string, string>;
    secretConfig: Record<string, string>;
  }): Promise<TestStack>;
  /** Makes the program declare exactly `locations` from the next command on. */
  declare(stack: TestStack, locations: DeclaredLocation[]): Promise<void>;
}

/** The changes an engine step reports, as `name: op [field=kind, ...]`, for readable assertions. */
function describeSteps(
  steps: { op: string; name: string; detailedDiff: Record<string, string> }[],
): string[] {
  return steps
    .filter((step) => step.op !== "same")
    .map((step) => {
      const fields = Object.entries(step.detailedDiff)
        .map(([field, kind]) => `${field}=${kind}`)
        .sort();
      return `${step.name}: ${step.op}${fields.length > 0 ? ` [${fields.join(", ")}]` : ""}`;
    })
    .sort();
}

/**
 * Defines the mocha suite of `program`: each `it` runs one step of the scenario on one shared stack, so the
 * steps run in order and a failure names the step.
 */
export function describeNativeScenario(program: NativeProgram, timeoutMs = 300_000): void {
  describe(`the native plume provider from a ${program.language} program, through the real Pulumi CLI`, function () {
    this.timeout(timeoutMs);
    let fleet: SimulatedFleet;
    let stack: TestStack;
    let a: DeclaredLocation;
    let b: DeclaredLocation;
    let c: DeclaredLocation;

    before(async function () {
      fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 3 });
      const [first, second, third] = fleet.entries;
      a = { name: "a", ...first, serviceId: "SVC-A", profile: "auto" };
      b = { name: "b", ...second, serviceId: "SVC-B", profile: "smallbusiness" };
      // A live location the ISP already manages by hand: it already carries its serviceId.
      fleet.sim.state.driftLocation(third.customerId, third.locationId, { serviceId: "LIVE-C" });
      c = { name: "c", ...third, serviceId: "SVC-C", profile: "auto" };
      stack = await program.createStack(fleet.config());
    });

    after(async function () {
      stack?.dispose();
      await fleet?.close();
    });

    it("imports a live location read-only, recording what Plume holds", async function () {
      await program.declare(stack, [a, b, c]);
      fleet.sim.resetCounters();
      const imported = await stack.cli([
        "import",
        NATIVE_RESOURCE,
        "c",
        `${c.customerId}/${c.locationId}`,
        "--yes",
        "--generate-code=false",
      ]);
      assert.equal(imported.code, 0, imported.stdout + imported.stderr);
      assert.equal(fleet.sim.counters().patchesApplied, 0, "an import writes nothing");
      const state = (await stack.resources()).find((resource) => resource.type === NATIVE_RESOURCE);
      assert.equal(state?.id, `${c.customerId}/${c.locationId}`);
      assert.equal(state?.outputs?.serviceId, "LIVE-C");
      assert.equal(state?.inputs?.serviceId, "LIVE-C");
    });

    it("previews exactly the writes still needed, field by field, and writes nothing", async function () {
      fleet.sim.resetCounters();
      const preview = await stack.preview();
      assertSucceeded(preview);
      assert.deepEqual(describeSteps(preview.steps), [
        "a: create",
        "b: create",
        "c: update [serviceId=update]",
      ]);
      assert.equal(fleet.sim.counters().patchesApplied, 0);
    });

    it("makes exactly those writes on up", async function () {
      fleet.sim.resetCounters();
      const up = await stack.up();
      assertSucceeded(up);
      assert.deepEqual(
        patchesSeen(fleet)
          .map((patch) => patch.path.split("/").pop())
          .sort(),
        [a.locationId, b.locationId, c.locationId].sort(),
      );
      for (const wanted of [a, b, c]) {
        const location = fleet.sim.state.getLocation(wanted.customerId, wanted.locationId);
        assert.deepEqual([location?.serviceId, location?.profile], [wanted.serviceId, wanted.profile]);
      }
    });

    it("stores no serialized provider: inputs and outputs of a location are under 512 bytes", async function () {
      const locations = (await stack.resources()).filter((resource) => resource.type === NATIVE_RESOURCE);
      assert.equal(locations.length, 3);
      for (const location of locations) {
        assert.ok(!JSON.stringify(location).includes("__provider"));
        const properties = JSON.stringify({ inputs: location.inputs, outputs: location.outputs });
        assert.ok(properties.length < 512, `${properties.length} bytes: ${properties}`);
      }
    });

    it("records drift on refresh, writing nothing", async function () {
      fleet.sim.state.driftLocation(b.customerId, b.locationId, { serviceId: "CHANGED-IN-PORTAL" });
      fleet.sim.resetCounters();
      const refresh = await stack.refresh();
      assertSucceeded(refresh);
      assert.equal(fleet.sim.counters().patchesApplied, 0);
      const state = (await stack.resources()).find((resource) => resource.urn.endsWith("::b"));
      assert.equal(state?.outputs?.serviceId, "CHANGED-IN-PORTAL");
    });

    it("names the field of each planned write: the drift to undo, and a profile change", async function () {
      await program.declare(stack, [{ ...a, profile: "smallbusiness" }, b, c]);
      const preview = await stack.preview();
      assertSucceeded(preview);
      assert.deepEqual(describeSteps(preview.steps), [
        "a: update [profile=update]",
        "b: update [serviceId=update]",
      ]);
    });

    it("puts every location back on HomePass on destroy, keeping its serviceId", async function () {
      const destroy = await stack.destroy();
      assertSucceeded(destroy);
      assert.equal(destroy.counts.delete, 4, "three locations and the stack");
      for (const declared of [a, b, c]) {
        const location = fleet.sim.state.getLocation(declared.customerId, declared.locationId);
        assert.equal(location?.profile, "auto", declared.name);
      }
      assert.equal(fleet.sim.state.getLocation(b.customerId, b.locationId)?.serviceId, "CHANGED-IN-PORTAL");
    });
  });
}
