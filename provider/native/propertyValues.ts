// Property values as they travel between the engine and the plugin: google.protobuf.Struct, with secrets as
// signed objects (`{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`) and unknown
// values as the engine's sentinel string. The core sees plain values; the secret bit of each top-level
// property is kept aside and put back on the answer, since a provider that accepts secrets must return them.
import * as structProto from "google-protobuf/google/protobuf/struct_pb";

/** The key that marks an object as a special Pulumi value (a secret, an asset, a resource reference). */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

/** The signature of a secret value. */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** Plain property values, keyed by property name. */
export type PropertyValues = Record<string, unknown>;

/** Properties with their secrets unwrapped, and which top-level properties held a secret. */
export interface UnwrappedProperties {
  values: PropertyValues;
  secretKeys: Set<string>;
  /** Every secret value found (text only), so an error message can be cleaned of them. */
  secretTexts: string[];
}

function isSecret(value: unknown): value is { value?: unknown } {
  return (
    value !== null &&
    typeof value === "object" &&
    (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** `value` with every secret replaced by what it wraps, reporting each secret found to `onSecret`. */
function unwrapValue(value: unknown, onSecret: (inner: unknown) => void): unknown {
  if (isSecret(value)) {
    onSecret(value.value);
    return unwrapValue(value.value, onSecret);
  }
  if (Array.isArray(value)) return value.map((item) => unwrapValue(item, onSecret));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, unwrapValue(inner, onSecret)]),
    );
  }
  return value;
}

/** Decodes a Struct from the engine into plain values, unwrapping secrets. An absent Struct is empty. */
export function unwrapProperties(struct: structProto.Struct | undefined): UnwrappedProperties {
  const raw = (struct?.toJavaScript() ?? {}) as PropertyValues;
  const secretKeys = new Set<string>();
  const secretTexts: string[] = [];
  const values: PropertyValues = {};
  for (const [key, value] of Object.entries(raw)) {
    values[key] = unwrapValue(value, (inner) => {
      secretKeys.add(key);
      if (typeof inner === "string") secretTexts.push(inner);
    });
  }
  return { values, secretKeys, secretTexts };
}

/**
 * Encodes plain values as a Struct for the engine, wrapping the properties named in `secretKeys` as secrets.
 * Undefined values are left out, as the engine would drop them.
 */
export function wrapProperties(
  values: object,
  secretKeys: ReadonlySet<string> = new Set(),
): structProto.Struct {
  const encoded: Record<string, structProto.JavaScriptValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    encoded[key] = secretKeys.has(key)
      ? { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: value as structProto.JavaScriptValue }
      : (value as structProto.JavaScriptValue);
  }
  return structProto.Struct.fromJavaScript(encoded);
}
