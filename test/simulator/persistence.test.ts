import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulatorStateError, startSimulator } from "../../simulator";
import { StatePersister } from "../../simulator/persistence";
import { oauthToken, send } from "./support";

describe("simulator: seed and persist files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "plume-sim-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps state across a restart: loads the persist file instead of the seed", async () => {
    const persistFile = join(dir, "nested", "state.json");
    const seed = { customers: [{ id: "c1", locations: [{ id: "l1" }] }] };
    const first = await startSimulator({ persistFile, seed });
    const token = await oauthToken(first);
    const patched = await send(`${first.url}/api/Customers/c1/locations/l1`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}` },
      body: { serviceId: "kept", profile: "smallbusiness" },
    });
    assert.equal(patched.status, 200);
    const wpaKey = first.state.getLocation("c1", "l1")!.backhaul.wpaKey;
    await first.close();

    const saved = JSON.parse(readFileSync(persistFile, "utf8"));
    assert.ok(!Number.isNaN(Date.parse(saved.savedAt)));
    assert.equal(saved.customers[0].locations[0].serviceId, "kept");
    assert.deepEqual(readdirSync(join(dir, "nested")), ["state.json"], "no temp file is left behind");

    const second = await startSimulator({ persistFile, seed: { customers: [{ id: "other" }] } });
    try {
      const location = second.state.getLocation("c1", "l1")!;
      assert.equal(location.serviceId, "kept");
      assert.equal(location.profile, "smallbusiness");
      assert.equal(location.backhaul.wpaKey, wpaKey, "secrets survive too");
      assert.equal(location._version, 2);
      assert.equal(
        second.state.partnerOf("other"),
        undefined,
        "the seed is not applied over persisted state",
      );
    } finally {
      await second.close();
    }
  });

  it("applies the seed when the persist file does not exist yet", async () => {
    const persistFile = join(dir, "state.json");
    const sim = await startSimulator({
      persistFile,
      seed: { customers: [{ id: "c1", locations: [{ id: "l1" }] }] },
    });
    await sim.close();
    assert.equal(JSON.parse(readFileSync(persistFile, "utf8")).customers[0].id, "c1");
  });

  it("refuses to start on a broken persist file, naming it", async () => {
    const persistFile = join(dir, "state.json");
    writeFileSync(persistFile, '{"customers": [');
    await assert.rejects(startSimulator({ persistFile }), (error: Error) => {
      assert.ok(error instanceof SimulatorStateError);
      assert.match(error.message, /state\.json is not valid JSON/);
      return true;
    });
  });

  it("loads a seed file, after the seed option", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(
      seedFile,
      JSON.stringify({ customers: [{ id: "c1", locations: [{ id: "l2", serviceId: "from-file" }] }] }),
    );
    const sim = await startSimulator({
      seedFile,
      seed: { customers: [{ id: "c1", locations: [{ id: "l1" }] }] },
    });
    try {
      assert.deepEqual(
        sim.state.listLocations("c1").map((location) => location.id),
        ["l1", "l2"],
      );
      assert.equal(sim.state.getLocation("c1", "l2")!.serviceId, "from-file");
    } finally {
      await sim.close();
    }
  });

  it("rejects an invalid seed file with its path and every problem", async () => {
    const seedFile = join(dir, "seed.json");
    writeFileSync(seedFile, JSON.stringify({ customers: [{ id: "" }, { id: "c2", locations: {} }] }));
    await assert.rejects(startSimulator({ seedFile }), (error: SimulatorStateError) => {
      assert.match(error.message, /seed\.json is invalid/);
      assert.deepEqual(error.problems, [
        "customers[0].id must be a non-empty string",
        "customers[1].locations must be an array",
      ]);
      return true;
    });
    await assert.rejects(startSimulator({ seedFile: join(dir, "missing.json") }), /Cannot read seed file/);
  });

  it("debounces: a burst of changes is written once", async () => {
    const file = join(dir, "burst.json");
    let snapshots = 0;
    const persister = new StatePersister(file, 10_000, () => {
      snapshots += 1;
      return { customers: [] };
    });
    for (let i = 0; i < 50; i += 1) persister.schedule();
    await persister.flush();
    assert.equal(persister.writeCount, 1);
    assert.equal(snapshots, 1);
    await persister.flush();
    assert.equal(persister.writeCount, 1, "nothing pending, nothing written");
  });

  it("drops pending changes on cancel (a simulator that failed to start writes nothing)", async () => {
    const file = join(dir, "cancelled.json");
    const persister = new StatePersister(file, 0, () => ({ customers: [] }));
    persister.schedule();
    persister.cancel();
    await persister.flush();
    assert.equal(persister.writeCount, 0);
    assert.deepEqual(readdirSync(dir), []);
  });

  it("writes a change made during a write right after it", async () => {
    const file = join(dir, "overlap.json");
    let version = 0;
    const persister = new StatePersister(file, 0, () => ({
      customers: [{ id: `v${(version += 1)}`, partnerId: "p", locations: [] }],
    }));
    persister.schedule();
    const firstFlush = persister.flush();
    persister.schedule();
    await firstFlush;
    await persister.flush();
    assert.equal(persister.writeCount, 2);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).customers[0].id, "v2");
  });
});
