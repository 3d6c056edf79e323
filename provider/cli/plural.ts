/** `1 location`, `12,000 locations`: a count and its noun, for messages. */
export function plural(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}
