// Masking of secrets for logs and error messages.

/** What a masked secret is replaced with. */
export const MASK = "***";

/** Field names whose values are secrets wherever they appear (Wi-Fi keys, PPPoE passwords, tokens). */
const SECRET_FIELD = /pass(word|phrase)?|secret|token|authorization|wpa|psk|key$|^key|credential|cookie/i;

/** Whether a field of that name holds a secret. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** A deep copy of `value` with every secret field's value replaced by `***`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== "object") return value;
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    copy[name] = isSecretField(name) && field !== null && field !== undefined ? MASK : redactSecrets(field);
  }
  return copy;
}

/**
 * `text` with every occurrence of a known secret (the client secret, password, current token) replaced by
 * `***`. Secrets shorter than 4 characters are left alone: masking them would garble ordinary words.
 */
export function maskKnownSecrets(text: string, secrets: Iterable<string>): string {
  let masked = text;
  for (const secret of secrets) {
    if (secret.length >= 4) masked = masked.split(secret).join(MASK);
  }
  return masked;
}
