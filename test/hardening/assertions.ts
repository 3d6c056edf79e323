/**
 * Shared assertions of the hardening tests: what makes an error message "clear", and how to scan text for
 * leaked secrets.
 */
import assert from "node:assert/strict";

/** The longest message a single bad value may produce: enough to explain, never a dump of the input. */
export const MAX_MESSAGE_LENGTH = 16 * 1024;

// Any C0 control except the newline, DEL, and C1 controls: a message must never carry them to a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Asserts that `message` is fit for a terminal: bounded in length and free of raw control characters. */
export function assertReadableMessage(message: string, context: string): void {
  assert.ok(message.length > 0, `${context}: the message is empty`);
  assert.ok(
    message.length <= MAX_MESSAGE_LENGTH,
    `${context}: the message is ${message.length} characters long; it echoes the bad input instead of describing it`,
  );
  const control = CONTROL_CHARACTERS.exec(message);
  assert.equal(
    control,
    null,
    `${context}: the message carries the raw control character U+${control?.[0].charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** Where each canary secret was found: `{ canary, where, excerpt }` for every hit. */
export interface SecretHit {
  canary: string;
  where: string;
  excerpt: string;
}

/**
 * Scans named texts for every canary, also in the encodings a leak could take (base64 for Basic auth, URL
 * encoding for form bodies, JSON escaping). Returns every hit, so a failure lists them all.
 */
export function findCanaries(canaries: string[], texts: Record<string, string>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const canary of canaries) {
    const forms = new Set([
      canary,
      encodeURIComponent(canary),
      JSON.stringify(canary).slice(1, -1),
      Buffer.from(canary).toString("base64").replace(/=+$/, ""),
    ]);
    for (const [where, text] of Object.entries(texts)) {
      for (const form of forms) {
        const at = text.indexOf(form);
        if (at >= 0) {
          hits.push({ canary, where, excerpt: text.slice(Math.max(0, at - 60), at + form.length + 60) });
          break;
        }
      }
    }
  }
  return hits;
}
