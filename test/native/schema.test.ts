// The native provider's package schema: schema.json at the root is what the TypeScript constants produce, and
// it says what the provider does (its settings, secrets, environment variables and resource fields).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CLIENT_DEFAULTS } from "../../provider/client/options";
import {
  LOCATION_SERVICE_TOKEN,
  packageSchema,
  PROFILE_TOKEN,
  PROVIDER_SETTINGS,
} from "../../provider/native/schema";
import { SECRET_SETTINGS, TUNING_OPTIONS } from "../../provider/core/settings";

type Schema = {
  name: string;
  version: string;
  config: {
    variables: Record<string, { secret?: boolean; type: string; defaultInfo: { environment: string[] } }>;
  };
  provider: { inputProperties: Record<string, unknown> };
  types: Record<string, { enum: { value: string }[] }>;
  resources: Record<
    string,
    {
      inputProperties: Record<string, { default?: unknown; $ref?: string; replaceOnChanges?: boolean }>;
      requiredInputs: string[];
      properties: Record<string, unknown>;
    }
  >;
  language: Record<string, Record<string, string>>;
};

const REPO_ROOT = path.join(__dirname, "..", "..");
const schema = packageSchema() as unknown as Schema;

describe("the native provider's package schema", function () {
  it("is what schema.json at the repository root holds (run `npm run schema` after changing it)", function () {
    const committed: unknown = JSON.parse(readFileSync(path.join(REPO_ROOT, "schema.json"), "utf8"));
    assert.deepEqual(committed, packageSchema());
  });

  it("names the package plume at the version of package.json", function () {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    assert.equal(schema.name, "plume");
    assert.equal(schema.version, manifest.version);
  });

  it("lists every connection setting and tuning option as config and as provider input", function () {
    const expected = [
      "apiUrl",
      "tokenUrl",
      "clientId",
      "clientSecret",
      "partnerId",
      "email",
      "password",
      "token",
    ];
    assert.deepEqual(PROVIDER_SETTINGS, [...expected, ...TUNING_OPTIONS]);
    assert.deepEqual(Object.keys(schema.config.variables), PROVIDER_SETTINGS);
    assert.deepEqual(schema.provider.inputProperties, schema.config.variables);
  });

  it("marks exactly the secret settings secret and names each one's environment variable", function () {
    for (const [setting, variable] of Object.entries(schema.config.variables)) {
      assert.equal(variable.secret === true, SECRET_SETTINGS.includes(setting), setting);
      assert.match(variable.defaultInfo.environment[0], /^PLUME_[A-Z_]+$/, setting);
    }
    assert.deepEqual(schema.config.variables.maxRequestsPerSecond.defaultInfo.environment, [
      "PLUME_MAX_REQUESTS_PER_SECOND",
    ]);
  });

  it("types each tuning option like its client default", function () {
    for (const [option, value] of Object.entries(CLIENT_DEFAULTS)) {
      assert.equal(schema.config.variables[option].type, typeof value, option);
    }
    assert.equal(schema.config.variables.debug.type, "boolean");
    assert.equal(schema.config.variables.caCertificate.type, "string");
  });

  it("declares LocationService with three required string inputs and the profile enum defaulting to auto", function () {
    const resource = schema.resources[LOCATION_SERVICE_TOKEN];
    assert.deepEqual(resource.requiredInputs, ["customerId", "locationId", "serviceId"]);
    assert.equal(resource.inputProperties.profile.$ref, `#/types/${PROFILE_TOKEN}`);
    assert.equal(resource.inputProperties.profile.default, "auto");
    assert.deepEqual(
      schema.types[PROFILE_TOKEN].enum.map((entry) => entry.value),
      ["auto", "smallbusiness"],
    );
    assert.equal(resource.inputProperties.locationId.replaceOnChanges, true);
    assert.deepEqual(Object.keys(resource.properties), [
      "customerId",
      "locationId",
      "serviceId",
      "profile",
      "locationName",
      "createdAt",
    ]);
  });

  it("names the SDK packages of Go, Node.js and Python", function () {
    assert.equal(schema.language.go.importBasePath, "github.com/pulumi-plume/pulumi-plume/sdk/go/plume");
    assert.equal(schema.language.nodejs.packageName, "@pulumi-plume/plume");
    assert.equal(schema.language.python.packageName, "pulumi_plume");
  });
});
