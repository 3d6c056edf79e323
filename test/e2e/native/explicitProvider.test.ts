// An explicit `plume.Provider` from a TypeScript program on the generated SDK: its settings come from the
// program (here from the program's own secret config, not `plume:*`), reach the plugin through Configure, and
// its secret never lands in state in plaintext.
import assert from "node:assert/strict";
import type { TestStack } from "../../support/pulumiStack";
import { assertSucceeded, startSimulatedFleet, type SimulatedFleet } from "../simulatedFleet";
import { typescriptStack } from "./typescriptProject";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as plume from "@pulumi-plume/plume";

const app = new pulumi.Config("app");
const provider = new plume.Provider("explicit", {
  apiUrl: app.require("apiUrl"),
  tokenUrl: app.require("tokenUrl"),
  clientId: app.require("clientId"),
  clientSecret: app.requireSecret("clientSecret"),
  partnerId: app.require("partnerId"),
  maxRequestsPerSecond: 1000,
});
new plume.LocationService("office", {
  customerId: app.require("customerId"),
  locationId: app.require("locationId"),
  serviceId: "BIZ-EXPLICIT",
  profile: plume.Profile.Smallbusiness,
}, { provider });
`;

describe("an explicit plume provider from a TypeScript program", function () {
  this.timeout(300_000);
  let fleet: SimulatedFleet;
  let stack: TestStack;

  before(async function () {
    fleet = await startSimulatedFleet({ customers: 1, locationsPerCustomer: 1 });
    const [entry] = fleet.entries;
    const { credentials } = fleet.sim;
    stack = await typescriptStack("plume-explicit-provider", PROGRAM, {
      config: {
        "app:apiUrl": fleet.sim.url,
        "app:tokenUrl": fleet.sim.tokenUrl,
        "app:clientId": credentials.clientId,
        "app:partnerId": credentials.partnerId,
        "app:customerId": entry.customerId,
        "app:locationId": entry.locationId,
      },
      secretConfig: { "app:clientSecret": credentials.clientSecret },
    });
  });

  after(async function () {
    stack?.dispose();
    await fleet?.close();
  });

  it("configures the plugin from the program's provider settings, with no plume:* stack config", async function () {
    const up = await stack.up();
    assertSucceeded(up);
    const [entry] = fleet.entries;
    const location = fleet.sim.state.getLocation(entry.customerId, entry.locationId);
    assert.deepEqual([location?.serviceId, location?.profile], ["BIZ-EXPLICIT", "smallbusiness"]);
  });

  it("keeps the provider's client secret out of state in plaintext, stored as a secret", async function () {
    assert.ok(!stack.stateText().includes(fleet.sim.credentials.clientSecret));
    const provider = (await stack.resources()).find((resource) => resource.urn.endsWith("::explicit"));
    const stored = provider?.inputs?.clientSecret as Record<string, unknown> | undefined;
    assert.equal(stored?.["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
  });

  it("resets the location through the same provider on destroy", async function () {
    assertSucceeded(await stack.destroy());
    const [entry] = fleet.entries;
    assert.equal(fleet.sim.state.getLocation(entry.customerId, entry.locationId)?.profile, "auto");
  });
});
