// The Pulumi package schema of the native provider `plume`: its resource, its profile enum and its provider
// configuration, built from the constants the rest of the code already uses (the profiles, the settings, the
// client's defaults), so the schema cannot say something the provider does not do. `schema.json` at the
// repository root is this object written out (`npm run schema`); a test keeps the two equal.
import { CLIENT_DEFAULTS } from "../client/options";
import { LOCATION_PROFILES } from "../client/location";
import { PACKAGE_VERSION } from "../client/userAgent";
import { DEFAULT_PROFILE } from "../core/schema";
import { AUTH_MODES, envVar, SECRET_SETTINGS, TUNING_OPTIONS } from "../core/settings";

/** The package name: resource tokens start with `plume:`, the plugin binary is `pulumi-resource-plume`. */
export const PACKAGE_NAME = "plume";

/** The type token of the one resource. */
export const LOCATION_SERVICE_TOKEN = "plume:index:LocationService";

/** The type token of the profile enum. */
export const PROFILE_TOKEN = "plume:index:Profile";

/** What each input of a LocationService means. Its keys are the inputs, in the order the schema lists them. */
const INPUT_DESCRIPTIONS = {
  customerId:
    "The Plume customer that owns the location (24 hex characters). Changing it replaces the resource.",
  locationId: "The Plume location to manage (24 hex characters). Changing it replaces the resource.",
  serviceId: "The CRM contract id to set on the location.",
  profile:
    'The location\'s profile: "auto" (HomePass) or "smallbusiness" (WorkPass). Deleting the resource puts ' +
    'the location back on "auto".',
} as const;

/** The inputs whose change replaces the resource: they name another location. */
export const REPLACE_ON_CHANGE: readonly string[] = ["customerId", "locationId"];

/** What each output of a LocationService that is no input means. */
const OUTPUT_ONLY_DESCRIPTIONS = {
  locationName: "The location's name in Plume.",
  createdAt: "When Plume created the location (ISO 8601).",
} as const;

/** The inputs of a LocationService, in schema order. */
export const LOCATION_SERVICE_INPUTS = Object.keys(INPUT_DESCRIPTIONS) as (keyof typeof INPUT_DESCRIPTIONS)[];

/** The outputs of a LocationService: its inputs, then what Plume adds. */
export const LOCATION_SERVICE_OUTPUTS: readonly string[] = [
  ...LOCATION_SERVICE_INPUTS,
  ...Object.keys(OUTPUT_ONLY_DESCRIPTIONS),
];

/** What each connection setting and client tuning option means. Every setting must have one. */
const SETTING_DESCRIPTIONS: Record<string, string> = {
  apiUrl: "The Plume API host, e.g. https://piranha-gamma.prod.us-west-2.aws.plumenet.io.",
  tokenUrl:
    "OAuth client credentials: the token URL, https://external.sso.plume.com/oauth2/<cloud-id>/v1/token.",
  clientId: "OAuth client credentials: the client id.",
  clientSecret: "OAuth client credentials: the client secret.",
  partnerId: "OAuth client credentials: the partner id (scope `partnerId:<id> role:partnerIdAdmin`).",
  email: "Admin login: the e-mail address.",
  password: "Admin login: the password.",
  token: "A ready token, sent verbatim as the Authorization header.",
  maxRequestsPerSecond: "Request starts per second, for the whole provider process.",
  windowLimit: "Requests per rolling window (Plume's firewall allows 2,000 per five minutes per IP).",
  windowMs: "Length of the rolling window of windowLimit, in milliseconds.",
  maxConcurrency: "Requests in flight at once.",
  timeoutMs: "Limit of one HTTP attempt, in milliseconds.",
  deadlineMs:
    "Limit of one call's attempts and backoff, in milliseconds (time queued for the limiter excluded).",
  maxRetries: "Retries of a retryable failure.",
  retryBaseDelayMs: "First backoff ceiling, in milliseconds (doubles per retry, with full jitter).",
  retryMaxDelayMs: "Highest backoff ceiling, in milliseconds.",
  allowInsecureHttp: "Allow http:// to a host other than loopback (never with real credentials).",
  caCertificate: "An extra CA certificate (PEM) for a private cloud.",
  debug: "Write one line per HTTP attempt on stderr (method, path, status, attempt, milliseconds).",
};

/** Every provider setting, in schema order: the API URL, each auth mode's settings, then the tuning options. */
export const PROVIDER_SETTINGS: readonly string[] = [
  "apiUrl",
  ...new Set(Object.values(AUTH_MODES).flat()),
  ...TUNING_OPTIONS,
];

/** A property of the schema (the subset of Pulumi's property spec this package uses). */
interface PropertySpec {
  type?: string;
  $ref?: string;
  description: string;
  secret?: boolean;
  replaceOnChanges?: boolean;
  default?: unknown;
  defaultInfo?: { environment: string[] };
}

/** Settings that are no text and have no client default to take the type from. */
const SETTING_TYPES: Record<string, string> = { debug: "boolean" };

/** The schema type of a setting: the type of its client default, else a string. */
function settingType(setting: string): string {
  const defaultValue = (CLIENT_DEFAULTS as Record<string, unknown>)[setting];
  if (typeof defaultValue === "number" || typeof defaultValue === "boolean") return typeof defaultValue;
  return SETTING_TYPES[setting] ?? "string";
}

/** The schema property of a setting: its type, description, secrecy and environment variable. */
function settingProperty(setting: string): PropertySpec {
  const description = SETTING_DESCRIPTIONS[setting];
  if (description === undefined) {
    throw new Error(`The provider setting ${setting} has no description in provider/native/schema.ts`);
  }
  const property: PropertySpec = { type: settingType(setting), description };
  if (SECRET_SETTINGS.includes(setting)) property.secret = true;
  property.defaultInfo = { environment: [envVar(setting)] };
  return property;
}

/** The resource's input properties: strings, the profile as the enum with its default. */
function inputProperties(): Record<string, PropertySpec> {
  const properties: Record<string, PropertySpec> = {};
  for (const input of LOCATION_SERVICE_INPUTS) {
    const description = INPUT_DESCRIPTIONS[input];
    properties[input] =
      input === "profile"
        ? { $ref: `#/types/${PROFILE_TOKEN}`, description, default: DEFAULT_PROFILE }
        : { type: "string", description };
    if (REPLACE_ON_CHANGE.includes(input)) properties[input].replaceOnChanges = true;
  }
  return properties;
}

/** The resource's output properties: every input, then what Plume adds. Profile is a string: Plume may hold another. */
function outputProperties(): Record<string, PropertySpec> {
  const properties: Record<string, PropertySpec> = {};
  for (const input of LOCATION_SERVICE_INPUTS) {
    properties[input] = { type: "string", description: INPUT_DESCRIPTIONS[input] };
  }
  for (const [output, description] of Object.entries(OUTPUT_ONLY_DESCRIPTIONS)) {
    properties[output] = { type: "string", description };
  }
  return properties;
}

const PROFILE_DESCRIPTIONS: Record<(typeof LOCATION_PROFILES)[number], string> = {
  auto: "HomePass.",
  smallbusiness: "WorkPass.",
};

/** The package schema of the `plume` provider, at `version` (the package's own by default). */
export function packageSchema(version: string = PACKAGE_VERSION): Record<string, unknown> {
  const settings = Object.fromEntries(
    PROVIDER_SETTINGS.map((setting) => [setting, settingProperty(setting)]),
  );
  return {
    name: PACKAGE_NAME,
    displayName: "Plume",
    version,
    description: "Manage the serviceId and profile (HomePass or WorkPass) of Plume Cloud locations.",
    keywords: ["pulumi", "plume", "category/network"],
    license: "Apache-2.0",
    config: { variables: settings },
    provider: {
      description:
        "The Plume Cloud provider: its connection settings, each also read from PLUME_* variables.",
      inputProperties: settings,
    },
    types: {
      [PROFILE_TOKEN]: {
        type: "string",
        description: "A Plume location profile.",
        enum: LOCATION_PROFILES.map((profile) => ({
          value: profile,
          name: profile,
          description: PROFILE_DESCRIPTIONS[profile],
        })),
      },
    },
    resources: {
      [LOCATION_SERVICE_TOKEN]: {
        description:
          "The serviceId and profile of one existing Plume location. Creating it adopts the location; deleting it " +
          "puts the location back on HomePass (auto). Its id is `<customerId>/<locationId>`.",
        inputProperties: inputProperties(),
        requiredInputs: ["customerId", "locationId", "serviceId"],
        properties: outputProperties(),
        required: ["customerId", "locationId", "serviceId", "profile"],
      },
    },
    language: {
      go: { importBasePath: "github.com/pulumi-plume/pulumi-plume/sdk/go/plume" },
      nodejs: { packageName: "@pulumi-plume/plume" },
      python: { packageName: "pulumi_plume" },
    },
  };
}

/** The schema as `schema.json` holds it: two-space JSON and a final newline. */
export function packageSchemaText(version?: string): string {
  return `${JSON.stringify(packageSchema(version), null, 2)}\n`;
}
