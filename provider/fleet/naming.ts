/**
 * The stable Pulumi resource name of a location: `loc-<customerId>-<locationId>`, built from the two ids
 * only, never from a mutable field, so editing a serviceId or profile never renames (replaces) a resource.
 *
 * Letters and digits are kept as they are; every other character, including `-` and `_`, is written as `_`
 * followed by the two hex digits of each of its UTF-8 bytes (`a-b` becomes `a_2db`). The encoding never
 * produces `-`, so the separator is unambiguous and two different id pairs can never share a name.
 */
export function locationResourceName(customerId: string, locationId: string): string {
  return `loc-${encodeNamePart(customerId)}-${encodeNamePart(locationId)}`;
}

/**
 * The inverse of {@link locationResourceName}: the id pair a name was built from, or `undefined` when the
 * name was not built by it. Used to show which location an existing resource name stands for.
 */
export function parseLocationResourceName(
  name: string,
): { customerId: string; locationId: string } | undefined {
  const match = /^loc-([A-Za-z0-9_]+)-([A-Za-z0-9_]+)$/.exec(name);
  if (match === null) return undefined;
  const customerId = decodeNamePart(match[1]);
  const locationId = decodeNamePart(match[2]);
  if (customerId === undefined || locationId === undefined) return undefined;
  return { customerId, locationId };
}

function encodeNamePart(id: string): string {
  if (/^[A-Za-z0-9]*$/.test(id)) return id;
  let encoded = "";
  for (const character of id) {
    if (/^[A-Za-z0-9]$/.test(character)) {
      encoded += character;
    } else {
      for (const byte of Buffer.from(character, "utf8")) encoded += `_${byte.toString(16).padStart(2, "0")}`;
    }
  }
  return encoded;
}

function decodeNamePart(part: string): string | undefined {
  const bytes: number[] = [];
  for (let index = 0; index < part.length; index++) {
    if (part[index] !== "_") {
      bytes.push(part.charCodeAt(index));
      continue;
    }
    const hex = part.slice(index + 1, index + 3);
    if (!/^[0-9a-f]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    index += 2;
  }
  const decoded = Buffer.from(bytes).toString("utf8");
  return encodeNamePart(decoded) === part ? decoded : undefined;
}
