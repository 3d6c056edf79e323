import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { locationResourceName } from "../../provider/fleet/naming";
import { fleetCli, scratchDir, simulatorEnv } from "./cliHarness";

// `plume-fleet export` and `plan` against the simulator: 4 customers x 3 locations, each customer's third
// location without a serviceId (never managed yet).
describe("plume-fleet export and plan against Plume (the simulator)", function () {
  this.timeout(60_000);
  let sim: RunningSimulator;
  let dir: string;
  let env: Record<string, string>;
  let customers: { id: string; locationIds: string[] }[];

  before(async () => {
    sim = await startSimulator({});
    customers = sim.state.generate({ customers: 4, locationsPerCustomer: 3 }).customers;
    customers.forEach((customer, c) =>
      customer.locationIds.slice(0, 2).forEach((locationId, l) =>
        sim.state.driftLocation(customer.id, locationId, {
          serviceId: `HSI-${c}${l}`,
          profile: l === 1 ? "smallbusiness" : "auto",
        }),
      ),
    );
    dir = scratchDir();
    env = simulatorEnv(sim);
  });
  after(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => sim.resetCounters());

  const ids = () => customers.map((customer) => customer.id).join(",");
  const secretsOf = () =>
    customers.flatMap((customer) =>
      customer.locationIds.map(
        (id) => (sim.state.getLocation(customer.id, id)?.backhaul as { wpaKey: string }).wpaKey,
      ),
    );

  it("exports YAML on stdout with the four fields of every location that has a serviceId, one list call per customer", async () => {
    const run = await fleetCli(["export", "--customers", ids()], { cwd: dir, env });

    assert.equal(run.code, 0, run.stderr);
    const written = parse(run.stdout) as { locations: Record<string, string>[] };
    assert.equal(written.locations.length, 8);
    assert.deepEqual(written.locations[1], {
      customerId: customers[0].id,
      locationId: customers[0].locationIds[1],
      serviceId: "HSI-01",
      profile: "smallbusiness",
    });
    assert.deepEqual(sim.counters().lists, 4);
    assert.equal(sim.counters().apiCalls, 4);
  });

  it("lists the locations without a serviceId on stderr and leaves them out of the file", async () => {
    const run = await fleetCli(["export", "--customers", ids()], { cwd: dir, env });

    assert.match(run.stderr, /4 locations without a serviceId in Plume, left out:/);
    for (const customer of customers) {
      assert.ok(run.stderr.includes(`  ${customer.id}/${customer.locationIds[2]}\n`));
      assert.ok(!run.stdout.includes(customer.locationIds[2]));
    }
  });

  it("never writes a Wi-Fi key or any field but the four", async () => {
    const run = await fleetCli(["export", "--customers", ids(), "--format", "json"], { cwd: dir, env });

    for (const secret of secretsOf()) assert.ok(!(run.stdout + run.stderr).includes(secret));
    const written = JSON.parse(run.stdout) as { locations: object[] };
    for (const entry of written.locations) {
      assert.deepEqual(Object.keys(entry), ["customerId", "locationId", "serviceId", "profile"]);
    }
  });

  for (const file of ["fleet.yaml", "fleet.csv", "fleet.json"]) {
    it(`writes ${file} in the format of its extension, which validate accepts and plan finds unchanged`, async () => {
      const exported = await fleetCli(["export", "--customers", ids(), "--output", file], { cwd: dir, env });
      assert.equal(exported.code, 0, exported.stderr);
      assert.equal(exported.stdout, "");

      const validated = await fleetCli(["validate", file], { cwd: dir });
      assert.equal(validated.stdout, `${file}: 8 locations, valid\n`);

      const planned = await fleetCli(["plan", file], { cwd: dir, env });
      assert.equal(planned.code, 0, planned.stderr);
      assert.equal(
        planned.stdout,
        "Plan: 0 to change, 0 missing in Plume, 8 unchanged (4 customers read from Plume).\n",
      );
    });
  }

  it("writes, with --import-file, the file pulumi import takes: every exported location as a native resource named as the fleet program names it", async () => {
    const run = await fleetCli(
      ["export", "--customers", ids(), "--output", "adopt.yaml", "--import-file", "adopt-import.json"],
      { cwd: dir, env },
    );
    assert.equal(run.code, 0, run.stderr);
    const { resources } = JSON.parse(readFileSync(join(dir, "adopt-import.json"), "utf8")) as {
      resources: { type: string; name: string; id: string }[];
    };
    const exported = (
      parse(readFileSync(join(dir, "adopt.yaml"), "utf8")) as { locations: Record<string, string>[] }
    ).locations;
    assert.deepEqual(
      resources,
      exported.map((entry) => ({
        type: "plume:index:LocationService",
        name: locationResourceName(entry.customerId, entry.locationId),
        id: `${entry.customerId}/${entry.locationId}`,
      })),
    );
    assert.equal(resources.length, 8);
    assert.equal(sim.counters().patchesApplied, 0);
  });

  it("reads the customers of --customers-file, one a line, skipping comments and blank lines", async () => {
    writeFileSync(join(dir, "customers.txt"), `# north\n${customers[0].id}\n\n${customers[1].id}\r\n`);

    const run = await fleetCli(["export", "--customers-file", "customers.txt", "--format", "csv"], {
      cwd: dir,
      env,
    });

    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split("\n").length, 5, "the header and 2 x 2 locations");
  });

  it("writes nothing and exits 1 when Plume will not list one of the customers, naming it", async () => {
    const run = await fleetCli(["export", "--customers", `${ids()},not-ours`, "-o", "partial.yaml"], {
      cwd: dir,
      env,
    });

    assert.equal(run.code, 1);
    assert.match(run.stderr, /customer not-ours: Plume would not list its locations: .*HTTP 401/);
    assert.match(run.stderr, /Nothing was written/);
    assert.equal(existsSync(join(dir, "partial.yaml")), false);
    assert.deepEqual(
      readdirSync(dir).filter((name) => name.endsWith(".tmp")),
      [],
    );
  });

  it("writes nothing and exits 1 when no location of the customers has a serviceId", async () => {
    const bare = sim.state.generate({ customers: 1, locationsPerCustomer: 2, idPrefix: "bare-" }).customers[0]
      .id;

    const run = await fleetCli(["export", "--customers", bare, "-o", "empty.csv"], { cwd: dir, env });

    assert.equal(run.code, 1);
    assert.match(run.stderr, /Nothing was written: no location of these customers has a serviceId/);
    assert.equal(existsSync(join(dir, "empty.csv")), false);
  });

  it("reports in JSON with --json: the file written and the locations left out", async () => {
    const run = await fleetCli(["export", "--customers", ids(), "--json", "-o", "report.yaml"], {
      cwd: dir,
      env,
    });

    const report = JSON.parse(run.stdout) as { ok: boolean; locations: number; withoutServiceId: object[] };
    assert.equal(report.ok, true);
    assert.equal(report.locations, 8);
    assert.equal(report.withoutServiceId.length, 4);
    assert.doesNotMatch(run.stderr, /export:|Wrote|left out/, "the report is the JSON alone");
  });

  it("plans exactly the edited entries, with Plume's value and the file's, and exits 2", async () => {
    await fleetCli(["export", "--customers", ids(), "-o", "edited.yaml"], { cwd: dir, env });
    const file = parse(readFileSync(join(dir, "edited.yaml"), "utf8")) as {
      locations: Record<string, string>[];
    };
    file.locations[0].serviceId = "HSI-NEW";
    file.locations[3].profile = "auto";
    file.locations.push({
      customerId: customers[1].id,
      locationId: customers[1].locationIds[2],
      serviceId: "HSI-12",
    });
    file.locations.push({ customerId: customers[2].id, locationId: "gone", serviceId: "HSI-X" });
    file.locations.push({
      customerId: customers[3].id,
      locationId: customers[0].locationIds[0],
      serviceId: "HSI-00",
    });
    writeFileSync(join(dir, "edited.yaml"), stringify(file));
    sim.resetCounters();

    const run = await fleetCli(["plan", "edited.yaml"], { cwd: dir, env });

    assert.equal(run.code, 2, run.stderr);
    const [c0, c1, c2, c3] = customers;
    assert.deepEqual(run.stdout.trim().split("\n"), [
      `edited.yaml:2 ${c0.id}/${c0.locationIds[0]}: serviceId HSI-00 → HSI-NEW`,
      `edited.yaml:14 ${c1.id}/${c1.locationIds[1]}: profile smallbusiness → auto`,
      `edited.yaml:34 ${c1.id}/${c1.locationIds[2]}: serviceId (none) → HSI-12`,
      `edited.yaml:37 ${c2.id}/gone: missing in Plume (Plume lists 3 locations for customer ${c2.id}, not this one)`,
      `edited.yaml:40 ${c3.id}/${c0.locationIds[0]}: missing in Plume (Plume lists 3 locations for customer ${c3.id}, not this one; it is listed under customer ${c0.id})`,
      "Plan: 3 to change, 2 missing in Plume, 6 unchanged (4 customers read from Plume).",
    ]);
    assert.equal(sim.counters().lists, 4);
    assert.equal(sim.counters().apiCalls, 4, "one GET of each customer's list, nothing else");
  });

  it("plans in JSON with --json: every location with its status and changes, and the summary", async () => {
    const file = {
      locations: [
        {
          customerId: customers[0].id,
          locationId: customers[0].locationIds[1],
          serviceId: "HSI-01",
          profile: "auto",
        },
      ],
    };
    writeFileSync(join(dir, "one.json"), JSON.stringify(file));

    const run = await fleetCli(["plan", "--json", "one.json"], { cwd: dir, env });

    assert.equal(run.code, 2);
    assert.doesNotMatch(run.stderr, /plan:|Plan:/, "no progress, no summary on stderr");
    const plan = JSON.parse(run.stdout) as {
      summary: object;
      locations: { status: string; changes: object[] }[];
    };
    assert.deepEqual(plan.summary, { unchanged: 0, change: 1, missing: 0, unreadable: 0 });
    assert.deepEqual(plan.locations[0].changes, [{ field: "profile", from: "smallbusiness", to: "auto" }]);
  });

  it("plans nothing and exits 1 for a fleet file with problems, without calling Plume", async () => {
    writeFileSync(join(dir, "broken.yaml"), "locations:\n  - customerId: c1\n    locationId: l1\n");

    const run = await fleetCli(["plan", "broken.yaml"], { cwd: dir, env });

    assert.equal(run.code, 1);
    assert.match(run.stderr, /broken\.yaml:2 locations\[0\]\.serviceId: is required/);
    assert.equal(sim.counters().apiCalls + sim.counters().tokenRequests, 0);
  });

  it("reads plume:* settings from a stack settings file, and asks for an encrypted secret in PLUME_* instead", async () => {
    const settings = [
      "config:",
      `  plume:apiUrl: ${sim.url}`,
      `  plume:tokenUrl: ${sim.tokenUrl}`,
      `  plume:clientId: ${sim.credentials.clientId}`,
      `  plume:partnerId: ${sim.credentials.partnerId}`,
      "  plume:clientSecret:",
      "    secure: v1:AAAAbbbbCCCC",
    ].join("\n");
    writeFileSync(join(dir, "Pulumi.prod.yaml"), settings);
    const args = ["export", "--config", "Pulumi.prod.yaml", "--customers", customers[0].id];

    const refused = await fleetCli(args, { cwd: dir, env: {} });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Pulumi\.prod\.yaml holds `plume:clientSecret` encrypted/);
    assert.match(refused.stderr, /Hint: Pass it in the environment instead: PLUME_CLIENT_SECRET/);

    const run = await fleetCli(args, {
      cwd: dir,
      env: { PLUME_CLIENT_SECRET: sim.credentials.clientSecret },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!(run.stdout + run.stderr).includes(sim.credentials.clientSecret));
  });

  it("names every missing setting and how to set it here when nothing is configured", async () => {
    const run = await fleetCli(["export", "--customers", customers[0].id], { cwd: dir, env: {} });

    assert.equal(run.code, 1);
    assert.match(run.stderr, /apiUrl is not set: .*PLUME_API_URL \(environment\)/);
    assert.match(run.stderr, /no credentials are set/);
    assert.match(
      run.stderr,
      /Hint: set the PLUME_\* environment variables, or give --config a stack settings file/,
    );
    assert.doesNotMatch(run.stderr, /pulumi config set/, "no Pulumi command is needed here");
  });
});
