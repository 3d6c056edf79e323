/** The most characters of a value a message shows. */
export const QUOTED_LENGTH = 40;

/**
 * A value for a message about it, as JSON (a string in quotes, so an empty value, spaces and control
 * characters show), cut after 40 characters with `… (N characters)` so a huge value cannot flood the
 * terminal. Never pass it a secret.
 */
export function quoteForMessage(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > QUOTED_LENGTH ? `${text.slice(0, QUOTED_LENGTH)}… (${text.length} characters)` : text;
}
