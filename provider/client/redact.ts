// Masking of secrets for logs and error messages.

/** What a masked secret is replaced with. */
export const MASK = "***";

/**
 * `text` with every occurrence of a known secret (the client secret, password, current token) replaced by
 * `***`, whether it appears as is, URL-encoded (`%2F`, or `+` for a space, as in a form body), escaped as
 * in a JSON string, or in base64. Secrets shorter than 4 characters are left alone: masking them would
 * garble ordinary words.
 */
export function maskKnownSecrets(text: string, secrets: Iterable<string>): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    forms.add(secret);
    forms.add(encodeURIComponentSafely(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(Buffer.from(secret).toString("base64").replace(/=+$/, ""));
    forms.add(Buffer.from(secret).toString("base64url"));
  }
  // Longest first, so a secret that contains another is masked whole.
  let masked = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form.length >= 4) masked = masked.split(form).join(MASK);
  }
  return masked;
}

/** `encodeURIComponent`, or the text itself for a string it cannot encode (a lone surrogate). */
function encodeURIComponentSafely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}
