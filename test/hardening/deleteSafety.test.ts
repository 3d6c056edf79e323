// Delete safety through Pulumi's real dynamic-provider host: a delete that cannot finish must fail (so the
// engine keeps the resource in state and the next run retries it), "already gone" must count as done, and
// the same-location guard must keep a delete from undoing what a renamed or moved resource just set.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import { type ProviderHost, ProviderHostError } from "../../support/providerHost";
import { findCanaries } from "./assertions";
import {
  CANARY,
  checkAndCreate,
  CUSTOMER,
  FAIL_FAST_TUNING,
  locationId,
  locationPath,
  locationProps,
  oauthStackConfig,
  resourceId,
  startCanarySimulator,
  startDeployment,
} from "./support";

/** A fault that lasts until cleared, aimed at one location's path (and, when given, one HTTP method). */
interface LastingFault {
  name: string;
  inject(sim: RunningSimulator, target: { path: string; method?: string }): void;
}

const LASTING = 1000;

const DELETE_FAULTS: LastingFault[] = [
  {
    name: "a 401 that a fresh token does not cure",
    inject: (sim, target) => sim.faults.failNext(LASTING, 401, target),
  },
  {
    name: "a LoopBack 403 (not allowed)",
    inject: (sim, target) => sim.faults.failNext(LASTING, 403, { ...target, body: "json" }),
  },
  {
    name: "a firewall 403 that outlasts the retries",
    inject: (sim, target) => sim.faults.failNext(LASTING, 403, { ...target, body: "html" }),
  },
  { name: "a 500", inject: (sim, target) => sim.faults.failNext(LASTING, 500, target) },
  {
    name: "a 503 with an empty body",
    inject: (sim, target) => sim.faults.failNext(LASTING, 503, { ...target, body: "empty" }),
  },
  {
    name: "responses slower than the timeout",
    inject: (sim, target) => sim.faults.stallNext(LASTING, 2_000, target),
  },
  { name: "connection resets", inject: (sim, target) => sim.faults.resetNextConnections(LASTING, target) },
];

describe("delete under faults, through the provider host", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let firstDeployment: ProviderHost;
  let nextDeployment: ProviderHost;
  let nextIndex = 0;

  before(async function () {
    sim = await startCanarySimulator(60);
    [firstDeployment, nextDeployment] = await Promise.all([
      startDeployment(oauthStackConfig(sim, FAIL_FAST_TUNING)),
      startDeployment(oauthStackConfig(sim, FAIL_FAST_TUNING)),
    ]);
  });

  afterEach(() => sim.faults.clear());

  after(async function () {
    await Promise.all([firstDeployment?.close(), nextDeployment?.close()]);
    await sim?.close();
  });

  /** Creates a WorkPass location in the first deployment, to be deleted by the next one. */
  async function deployedLocation(serviceId: string) {
    const index = nextIndex++;
    const created = await checkAndCreate(
      firstDeployment,
      await locationProps(index, serviceId, "smallbusiness"),
    );
    assert.equal(created.id, resourceId(index));
    return { index, ...created };
  }

  function stored(index: number) {
    const location = sim.state.getLocation(CUSTOMER, locationId(index));
    return { serviceId: location?.serviceId, profile: location?.profile };
  }

  for (const fault of DELETE_FAULTS) {
    for (const method of ["GET", "PATCH"]) {
      it(`fails the delete on ${fault.name} to its ${method}, keeps the location as set, and the retry resets it`, async function () {
        const serviceId = `SVC-DEL-${nextIndex}`;
        const { index, id, outputs } = await deployedLocation(serviceId);
        fault.inject(sim, { path: locationPath(index), method });

        const failure = await nextDeployment.delete(id, outputs).then(
          () => undefined,
          (error: unknown) => error,
        );

        assert.ok(failure instanceof ProviderHostError, `the delete did not fail: ${String(failure)}`);
        assert.ok(failure.details.includes(id), `the error does not name the location: ${failure.details}`);
        assert.match(failure.details, /hint|check|retry|try|wait|set|credential/i, "the error gives no hint");
        assert.deepEqual(findCanaries(Object.values(CANARY), { error: failure.details }), []);
        assert.deepEqual(stored(index), { serviceId, profile: "smallbusiness" });

        sim.faults.clear();
        await nextDeployment.delete(id, outputs);
        assert.deepEqual(stored(index), { serviceId, profile: "auto" });
      });
    }
  }

  it("counts a location that no longer exists (404) as deleted, without a write", async function () {
    const { index, id, outputs } = await deployedLocation("SVC-GONE");
    sim.state.deleteLocation(CUSTOMER, locationId(index));
    sim.resetCounters();

    await nextDeployment.delete(id, outputs);

    const calls = sim.requestLog().filter((entry) => entry.path === locationPath(index));
    assert.deepEqual(
      calls.map((entry) => [entry.method, entry.status]),
      [["GET", 404]],
    );
  });

  it("does not count a 404 to the PATCH as deleted while Plume still lists the location, and a rerun resets it", async function () {
    const { index, id, outputs } = await deployedLocation("SVC-VANISHING");
    sim.faults.failNext(1, 404, { path: locationPath(index), method: "PATCH" });

    const failure = await nextDeployment.delete(id, outputs).then(
      () => undefined,
      (error: unknown) => error,
    );

    assert.ok(failure instanceof ProviderHostError, `the delete did not fail: ${String(failure)}`);
    assert.match(failure.details, /does not look like Plume's API/);
    assert.match(failure.details, /plume:apiUrl/);
    assert.deepEqual(stored(index), { serviceId: "SVC-VANISHING", profile: "smallbusiness" });
    await nextDeployment.delete(id, outputs);
    assert.deepEqual(stored(index), { serviceId: "SVC-VANISHING", profile: "auto" });
  });
});

describe("the same-location guard, through the provider host", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  // Each host is one provider process, that is one deployment (one `pulumi up`). The guard remembers
  // locations per process, so tests on distinct locations can share the deployments.
  let first: ProviderHost;
  let second: ProviderHost;
  let crashed: ProviderHost;
  let rerun: ProviderHost;

  before(async function () {
    sim = await startCanarySimulator(10);
    const config = oauthStackConfig(sim, FAIL_FAST_TUNING);
    [first, second, crashed, rerun] = await Promise.all([1, 2, 3, 4].map(() => startDeployment(config)));
  });

  after(async function () {
    await Promise.all([first, second, crashed, rerun].map((host) => host?.close()));
    await sim?.close();
  });

  function stored(index: number) {
    const location = sim.state.getLocation(CUSTOMER, locationId(index));
    return { serviceId: location?.serviceId, profile: location?.profile };
  }

  for (const renamed of [
    {
      index: 1,
      change: "keeping its values",
      serviceId: "SVC-R1",
      newServiceId: "SVC-R1",
      profile: "smallbusiness",
    },
    {
      index: 2,
      change: "with a new serviceId and profile",
      serviceId: "SVC-R2",
      newServiceId: "SVC-R2b",
      profile: "auto",
    },
  ]) {
    it(`keeps a renamed resource's location ${renamed.change} when the old name is deleted after the create`, async function () {
      const { index } = renamed;
      const old = await checkAndCreate(
        first,
        await locationProps(index, renamed.serviceId, "smallbusiness"),
        `old${index}`,
      );

      await checkAndCreate(
        second,
        await locationProps(index, renamed.newServiceId, renamed.profile),
        `new${index}`,
      );
      await second.delete(old.id, old.outputs, `old${index}`);

      assert.deepEqual(stored(index), { serviceId: renamed.newServiceId, profile: renamed.profile });
    });
  }

  it("keeps both locations right when two resources swap locations (delete-before-replace order)", async function () {
    const a = await checkAndCreate(first, await locationProps(3, "SVC-A", "smallbusiness"), "a");
    const b = await checkAndCreate(first, await locationProps(4, "SVC-B", "auto"), "b");

    // A moves from location 3 to 4 and B from 4 to 3; the engine deletes each old one just before its create.
    await second.delete(a.id, a.outputs, "a");
    await checkAndCreate(second, await locationProps(4, "SVC-A", "smallbusiness"), "a");
    await second.delete(b.id, b.outputs, "b");
    await checkAndCreate(second, await locationProps(3, "SVC-B", "auto"), "b");

    assert.deepEqual(stored(4), { serviceId: "SVC-A", profile: "smallbusiness" });
    assert.deepEqual(stored(3), { serviceId: "SVC-B", profile: "auto" });
  });

  // The rerun's new name is unchanged (check and diff, no write), so only what the guard learns from check
  // keeps the old name's delete, which sees its own serviceId, from resetting the location.
  it("keeps a renamed resource's location when a crash left the old name's delete to the next run", async function () {
    const index = 5;
    const old = await checkAndCreate(first, await locationProps(index, "SVC-CRASH", "smallbusiness"), "old5");

    // The rename's deployment creates the new name, then dies before deleting the old one.
    const renamed = await checkAndCreate(
      crashed,
      await locationProps(index, "SVC-CRASH", "smallbusiness"),
      "new5",
    );
    await crashed.close();

    // The next run: the new name is unchanged (check and diff only), the old one is still in state.
    const news = await locationProps(index, "SVC-CRASH", "smallbusiness");
    const checked = await rerun.check(renamed.outputs, news, "new5");
    const diff = await rerun.diff(renamed.id, renamed.outputs, checked.inputs, "new5");
    assert.equal(diff.changes, "none");
    await rerun.delete(old.id, old.outputs, "old5");

    assert.deepEqual(stored(index), { serviceId: "SVC-CRASH", profile: "smallbusiness" });
  });
});
