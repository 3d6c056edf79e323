import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFleet } from "../../provider/fleet";
import { runDrift } from "../../scripts/drift";
import { seedMissingLocations } from "../../scripts/seedSimulator";
import { startSimulator } from "../../simulator";

describe("npm run drift", () => {
  let projectRoot: string;

  beforeEach(() => {
    projectRoot = mkdtempSync(join(tmpdir(), "fleet-project-"));
    writeFileSync(
      join(projectRoot, "fleet.yaml"),
      "locations:\n" +
        "  - {customerId: c1, locationId: l1, serviceId: S1, profile: smallbusiness}\n" +
        "  - {customerId: c1, locationId: l2, serviceId: S2}\n" +
        "  - {customerId: c2, locationId: l3, serviceId: S3}\n",
    );
  });

  async function converge(): Promise<void> {
    const simulator = await startSimulator({ persistFile: join(projectRoot, ".sim", "state.json") });
    const entries = loadFleet(join(projectRoot, "fleet.yaml")).entries;
    seedMissingLocations(simulator.state, entries);
    for (const entry of entries) {
      simulator.state.driftLocation(entry.customerId, entry.locationId, {
        serviceId: entry.serviceId,
        profile: entry.profile,
      });
    }
    await simulator.close();
  }

  async function locationsInStateFile() {
    const simulator = await startSimulator({ persistFile: join(projectRoot, ".sim", "state.json") });
    const found = ["c1/l1", "c1/l2", "c2/l3"].map((id) => {
      const [customerId, locationId] = id.split("/");
      const location = simulator.state.getLocation(customerId, locationId)!;
      return [id, location.serviceId, location.profile];
    });
    await simulator.close();
    return found;
  }

  it("changes a WorkPass profile, a HomePass profile and a serviceId in the state file, and says what to run next", async () => {
    await converge();
    const output: string[] = [];
    const code = await runDrift({ projectRoot, log: (line) => output.push(line) });
    assert.equal(code, 0);
    assert.deepEqual(await locationsInStateFile(), [
      ["c1/l1", "S1", "auto"],
      ["c1/l2", "S2", "smallbusiness"],
      ["c2/l3", "S3-EDITED", "auto"],
    ]);
    const text = output.join("\n");
    assert.match(text, /Changed 3 locations/);
    assert.match(text, /loc-c1-l1 {2}profile: smallbusiness -> auto/);
    assert.match(text, /npm run up -- --refresh/);
  });

  it("changes only locations that match the fleet file, so a second drift claims no change it did not make", async () => {
    await converge();
    assert.equal(await runDrift({ projectRoot, log: () => undefined }), 0);
    const drifted = await locationsInStateFile();
    const output: string[] = [];
    const errors: string[] = [];
    const code = await runDrift({
      projectRoot,
      log: (line) => output.push(line),
      logError: (line) => errors.push(line),
    });
    assert.equal(code, 1);
    assert.deepEqual(output, []);
    assert.match(errors.join("\n"), /Run `npm run up` first/);
    assert.deepEqual(await locationsInStateFile(), drifted);
  });

  it("asks for npm run up first when the simulator has no state yet", async () => {
    const errors: string[] = [];
    const code = await runDrift({ projectRoot, logError: (line) => errors.push(line) });
    assert.equal(code, 1);
    assert.match(errors[0], /Run `npm run up` first/);
  });
});
