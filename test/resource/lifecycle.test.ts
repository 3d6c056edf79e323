// PlumeLocationService through Pulumi's real dynamic-provider host, against the simulator: the steps a
// `pulumi up`, `preview`, `refresh` and `destroy` take, in the engine's order. One provider process serves one
// deployment, so steps of a later deployment (a destroy, the second `up` of a rename) run in a second host.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../simulator";
import { ProviderHost, UNKNOWN } from "../../support/providerHost";
import {
  checkAndCreate,
  CUSTOMER,
  location,
  oauthConfig,
  props,
  startConfiguredHost,
  startSeededSimulator,
} from "./fixtures";

describe("PlumeLocationService through the provider host", function () {
  let sim: RunningSimulator;
  let host: ProviderHost;
  let nextDeployment: ProviderHost;

  before(async function () {
    this.timeout(120_000);
    sim = await startSeededSimulator();
    [host, nextDeployment] = await Promise.all([
      startConfiguredHost(oauthConfig(sim)),
      startConfiguredHost(oauthConfig(sim)),
    ]);
  });

  after(async function () {
    await Promise.all([host?.close(), nextDeployment?.close()]);
    await sim?.close();
  });

  function patchesOf(locationId: string): unknown[] {
    return sim
      .requestLog()
      .filter(
        (entry) =>
          entry.method === "PATCH" && entry.path === `/api/Customers/${CUSTOMER}/locations/${locationId}`,
      )
      .map((entry) => entry.body);
  }

  it("walks the whole lifecycle: create, read, no-op diff, update, delete back to auto", async function () {
    const news = await props(1, "SVC-1", "smallbusiness");
    const created = await checkAndCreate(host, news);
    assert.equal(created.id, `${CUSTOMER}/${location(1)}`);
    const stored = sim.state.getLocation(CUSTOMER, location(1));
    assert.equal(stored?.serviceId, "SVC-1");
    assert.equal(stored?.profile, "smallbusiness");
    assert.deepEqual(created.outputs, {
      customerId: CUSTOMER,
      locationId: location(1),
      serviceId: "SVC-1",
      profile: "smallbusiness",
      locationName: "Home 1",
      createdAt: stored?.createdAt,
      __provider: news.__provider,
    });

    const read = await host.read(created.id, created.outputs, created.inputs);
    assert.equal(read.id, created.id);
    assert.deepEqual(read.properties, created.outputs);

    const unchanged = await host.diff(
      created.id,
      read.properties,
      (await host.check(created.inputs, news)).inputs,
    );
    assert.deepEqual(unchanged, { changes: "none", replaces: [], deleteBeforeReplace: false });

    const changedNews = (await host.check(created.inputs, await props(1, "SVC-1b", "smallbusiness"))).inputs;
    const changed = await host.diff(created.id, read.properties, changedNews);
    assert.deepEqual(changed, { changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await host.update(created.id, read.properties, changedNews);
    assert.equal(updated.serviceId, "SVC-1b");
    assert.equal(updated.profile, "smallbusiness");
    assert.equal(sim.state.getLocation(CUSTOMER, location(1))?.serviceId, "SVC-1b");

    await nextDeployment.delete(created.id, updated);
    assert.deepEqual(patchesOf(location(1)).at(-1), { serviceId: "SVC-1b", profile: "auto" });
    assert.equal(sim.state.getLocation(CUSTOMER, location(1))?.profile, "auto");
  });

  it("replaces, deleting first, when the location changes", async function () {
    const created = await checkAndCreate(host, await props(2, "SVC-2"));
    const moved = (await host.check(created.inputs, await props(3, "SVC-2"))).inputs;
    assert.deepEqual(await host.diff(created.id, created.outputs, moved), {
      changes: "some",
      replaces: ["locationId"],
      deleteBeforeReplace: true,
    });
  });

  it("previews unknown inputs without calling Plume: they pass check and count as changes", async function () {
    const created = await checkAndCreate(host, await props(4, "SVC-4"));
    sim.resetCounters();
    const unknownService = await host.check(created.inputs, { ...(await props(4, "x")), serviceId: UNKNOWN });
    assert.deepEqual(unknownService.failures, []);
    assert.equal(unknownService.inputs.serviceId, UNKNOWN);
    assert.deepEqual(await host.diff(created.id, created.outputs, unknownService.inputs), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });

    const unknownLocation = await host.check(created.inputs, {
      ...(await props(4, "x")),
      locationId: UNKNOWN,
    });
    assert.deepEqual(unknownLocation.failures, []);
    const replacing = await host.diff(created.id, created.outputs, unknownLocation.inputs);
    assert.deepEqual(replacing.replaces, ["locationId"]);

    const everythingUnknown = await host.check(
      {},
      {
        customerId: UNKNOWN,
        locationId: UNKNOWN,
        serviceId: UNKNOWN,
        profile: UNKNOWN,
        __provider: (await props(4, "x")).__provider,
      },
    );
    assert.deepEqual(everythingUnknown.failures, []);
    assert.equal(sim.counters().apiCalls, 0);
  });

  it("returns check failures with the property and reason, and calls no API", async function () {
    sim.resetCounters();
    const checked = await host.check(
      {},
      { ...(await props(5, "")), locationId: "a/b", profile: "small-business-plus" },
    );
    assert.deepEqual(
      checked.failures.map((failure) => failure.property),
      ["locationId", "serviceId", "profile"],
    );
    assert.match(checked.failures[2].reason, /"auto" \(HomePass\) or "smallbusiness" \(WorkPass\)/);
    assert.equal(sim.counters().apiCalls, 0);
  });

  it("shows drift made in Plume on refresh, and the next update fixes it", async function () {
    const created = await checkAndCreate(host, await props(6, "SVC-6", "smallbusiness"));
    sim.state.driftLocation(CUSTOMER, location(6), { serviceId: "changed-by-support", profile: "auto" });

    const refreshed = await host.read(created.id, created.outputs, created.inputs);
    assert.equal(refreshed.properties.serviceId, "changed-by-support");
    assert.equal(refreshed.properties.profile, "auto");

    const diff = await host.diff(created.id, refreshed.properties, created.inputs);
    assert.equal(diff.changes, "some");
    assert.deepEqual(diff.replaces, []);
    const fixed = await host.update(created.id, refreshed.properties, created.inputs);
    assert.equal(fixed.serviceId, "SVC-6");
    assert.equal(sim.state.getLocation(CUSTOMER, location(6))?.profile, "smallbusiness");
  });

  it("drops a location that vanished from Plume on refresh, and deletes it without error", async function () {
    const created = await checkAndCreate(host, await props(7, "SVC-7"));
    sim.state.deleteLocation(CUSTOMER, location(7));
    const read = await host.read(created.id, created.outputs, created.inputs);
    assert.equal(read.id, "");
    await nextDeployment.delete(created.id, created.outputs);
    const calls = sim.requestLog().filter((entry) => entry.path.endsWith(`/locations/${location(7)}`));
    assert.deepEqual(
      calls.slice(-2).map((entry) => `${entry.method} ${entry.status}`),
      ["GET 404", "GET 404"],
    );
  });

  it("does not let a renamed resource's delete undo the new resource on the same location", async function () {
    const old = await checkAndCreate(host, await props(8, "SVC-8", "smallbusiness"), "old-name");
    // The next `up`: the engine creates the resource under its new name, then deletes the old one.
    const renamed = await checkAndCreate(
      nextDeployment,
      await props(8, "SVC-8-new", "smallbusiness"),
      "new-name",
    );
    assert.equal(renamed.id, old.id);
    const patchesBefore = patchesOf(location(8)).length;

    await nextDeployment.delete(old.id, old.outputs, "old-name");
    assert.equal(patchesOf(location(8)).length, patchesBefore);
    const stored = sim.state.getLocation(CUSTOMER, location(8));
    assert.equal(stored?.serviceId, "SVC-8-new");
    assert.equal(stored?.profile, "smallbusiness");
    await nextDeployment.waitForOutput(
      new RegExp(`${location(8)} is declared by a resource of this deployment`),
    );
  });

  it("keeps a renamed resource's location when the rename's deployment crashed before deleting the old name", async function () {
    // The crashed deployment created the new name; the old name is still in state. Both carry the same values.
    const old = await checkAndCreate(host, await props(11, "SVC-11", "smallbusiness"), "old-11");
    const renamed = await checkAndCreate(host, await props(11, "SVC-11", "smallbusiness"), "new-11");

    // The rerun: the new name is unchanged (check and diff only), then the old name is deleted.
    const checked = await nextDeployment.check(
      renamed.inputs,
      await props(11, "SVC-11", "smallbusiness"),
      "new-11",
    );
    assert.equal(
      (await nextDeployment.diff(renamed.id, renamed.outputs, checked.inputs, "new-11")).changes,
      "none",
    );
    await nextDeployment.delete(old.id, old.outputs, "old-11");
    const stored = sim.state.getLocation(CUSTOMER, location(11));
    assert.equal(stored?.serviceId, "SVC-11");
    assert.equal(stored?.profile, "smallbusiness");
  });

  it("resets the location when a later deployment, which did not write it, deletes the resource", async function () {
    const created = await checkAndCreate(host, await props(9, "SVC-9", "smallbusiness"));
    await nextDeployment.delete(created.id, created.outputs);
    assert.equal(sim.state.getLocation(CUSTOMER, location(9))?.profile, "auto");
    assert.deepEqual(patchesOf(location(9)).at(-1), { serviceId: "SVC-9", profile: "auto" });
  });

  it("leaves a location alone on delete when another tool took it over (its serviceId is no longer ours)", async function () {
    const created = await checkAndCreate(host, await props(10, "SVC-10", "smallbusiness"));
    sim.state.driftLocation(CUSTOMER, location(10), { serviceId: "OTHER-STACK" });
    await nextDeployment.delete(created.id, created.outputs);
    await nextDeployment.waitForOutput(
      new RegExp(`${location(10)} no longer carries this resource's serviceId`),
    );
    assert.equal(sim.state.getLocation(CUSTOMER, location(10))?.serviceId, "OTHER-STACK");
    assert.equal(sim.state.getLocation(CUSTOMER, location(10))?.profile, "smallbusiness");
  });
});
