// The location-service core, which both front doors (the dynamic provider and the native plugin) call: what
// it tells a front door about a diff and about the settings, with no Pulumi and no network.
import assert from "node:assert/strict";
import { LocationService } from "../../provider/core/locationService";
import type { SettingsSources } from "../../provider/core/settings";

function serviceWith(config: Record<string, string>, env: Record<string, string> = {}): LocationService {
  const service = new LocationService();
  const sources: SettingsSources = { config: (key) => config[key], env, configKeys: Object.keys(config) };
  service.configure(sources);
  return service;
}

const current = { customerId: "c1", locationId: "l1", serviceId: "S1", profile: "auto" };

describe("the location-service core", function () {
  it("names the fields an update changes in place", async function () {
    const diff = await serviceWith({}).diff(current, {
      ...current,
      serviceId: "S2",
      profile: "smallbusiness",
    });
    assert.deepEqual(diff, {
      changes: true,
      replaces: [],
      updates: ["serviceId", "profile"],
      deleteBeforeReplace: false,
    });
  });

  it("names a location change as a replacement that deletes first", async function () {
    const diff = await serviceWith({}).diff(current, { ...current, locationId: "l2" });
    assert.deepEqual(diff, {
      changes: true,
      replaces: ["locationId"],
      updates: [],
      deleteBeforeReplace: true,
    });
  });

  it("reports no settings problem when no connection setting is set at all", function () {
    assert.deepEqual(serviceWith({}).settingsProblems(), []);
  });

  it("reports a misspelt key even without any other setting", function () {
    const problems = serviceWith({ "plume:apiURL": "https://example.net" }).settingsProblems();
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["apiURL"],
    );
  });

  it("reports settings that cannot be right without calling Plume, and never their secret values", function () {
    const problems = serviceWith({
      "plume:apiUrl": "https://api.example.net",
      "plume:tokenUrl": "https://<cloud-id>.example.net/token",
      "plume:clientId": "client",
      "plume:clientSecret": "s3cret-canary",
    }).settingsProblems();
    assert.deepEqual(
      problems.map((problem) => problem.path),
      ["partnerId", "tokenUrl"],
    );
    assert.ok(problems.every((problem) => !problem.message.includes("s3cret-canary")));
  });

  it("reports nothing for complete settings", function () {
    const problems = serviceWith({
      "plume:apiUrl": "https://api.example.net",
      "plume:token": "a-ready-token",
    }).settingsProblems();
    assert.deepEqual(problems, []);
  });
});
