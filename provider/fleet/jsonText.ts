/** A JSON value with the offset where it starts, so problems can name the line. */
export type JsonNode =
  | { kind: "object"; start: number; members: JsonMember[] }
  | { kind: "array"; start: number; items: JsonNode[] }
  | { kind: "string"; start: number; value: string }
  | { kind: "number"; start: number; raw: string }
  | { kind: "literal"; start: number; raw: "true" | "false" | "null" };

/** One `"key": value` of an object, duplicates kept (the caller reports them). */
export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** A JSON syntax error at a character offset. */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Deepest nesting accepted; a fleet file needs three levels. */
const MAX_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/**
 * Parses JSON text (RFC 8259) into {@link JsonNode}s that remember where each value starts. `JSON.parse`
 * cannot say on which line an entry is, nor see duplicate keys, which a fleet file must report.
 * Throws {@link JsonSyntaxError}.
 */
export function parseJsonWithPositions(text: string): JsonNode {
  let offset = 0;

  const fail = (message: string, at = offset): never => {
    throw new JsonSyntaxError(message, at);
  };
  const skipWhitespace = () => {
    WHITESPACE.lastIndex = offset;
    WHITESPACE.exec(text);
    offset = WHITESPACE.lastIndex;
  };
  const describe = (at: number) => (at >= text.length ? "end of file" : JSON.stringify(text[at]));
  const expect = (character: string) => {
    if (text[offset] !== character) fail(`expected "${character}" but found ${describe(offset)}`);
    offset++;
  };

  const parseString = (): string => {
    const start = offset;
    expect('"');
    let value = "";
    let chunkStart = offset;
    for (;;) {
      if (offset >= text.length) fail("unterminated string", start);
      const code = text.charCodeAt(offset);
      if (code === 0x22) {
        value += text.slice(chunkStart, offset);
        offset++;
        return value;
      }
      if (code < 0x20) fail("control character in string; write it as an escape such as \\n");
      if (code !== 0x5c) {
        offset++;
        continue;
      }
      value += text.slice(chunkStart, offset);
      const escape = text[offset + 1];
      const simple: Record<string, string> = {
        '"': '"',
        "\\": "\\",
        "/": "/",
        b: "\b",
        f: "\f",
        n: "\n",
        r: "\r",
        t: "\t",
      };
      if (escape !== undefined && escape in simple) {
        value += simple[escape];
        offset += 2;
      } else if (escape === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(offset + 2, offset + 6))) {
        value += String.fromCharCode(parseInt(text.slice(offset + 2, offset + 6), 16));
        offset += 6;
      } else {
        fail("invalid escape in string");
      }
      chunkStart = offset;
    }
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    skipWhitespace();
    const start = offset;
    const character = text[offset];
    if (character === "{") {
      offset++;
      const members: JsonMember[] = [];
      skipWhitespace();
      if (text[offset] === "}") {
        offset++;
        return { kind: "object", start, members };
      }
      for (;;) {
        skipWhitespace();
        const keyStart = offset;
        if (text[offset] !== '"') fail(`expected a quoted key but found ${describe(offset)}`);
        const key = parseString();
        skipWhitespace();
        expect(":");
        members.push({ key, keyStart, value: parseValue(depth + 1) });
        skipWhitespace();
        if (text[offset] === ",") {
          offset++;
          continue;
        }
        expect("}");
        return { kind: "object", start, members };
      }
    }
    if (character === "[") {
      offset++;
      const items: JsonNode[] = [];
      skipWhitespace();
      if (text[offset] === "]") {
        offset++;
        return { kind: "array", start, items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[offset] === ",") {
          offset++;
          continue;
        }
        expect("]");
        return { kind: "array", start, items };
      }
    }
    if (character === '"') return { kind: "string", start, value: parseString() };
    for (const raw of ["true", "false", "null"] as const) {
      if (text.startsWith(raw, offset)) {
        offset += raw.length;
        return { kind: "literal", start, raw };
      }
    }
    NUMBER.lastIndex = offset;
    const number = NUMBER.exec(text);
    if (number !== null && number[0] !== "" && number[0] !== "-") {
      offset = NUMBER.lastIndex;
      return { kind: "number", start, raw: number[0] };
    }
    return fail(`unexpected ${describe(offset)}; expected a JSON value`);
  };

  const root = parseValue(0);
  skipWhitespace();
  if (offset < text.length) fail(`unexpected ${describe(offset)} after the end of the JSON value`);
  return root;
}
