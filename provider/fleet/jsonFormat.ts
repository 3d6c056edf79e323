import { ParseErrorCode, printParseErrorCode, visit } from "jsonc-parser";
import { quoteForMessage } from "../client/quote";
import type { FleetProblem } from "./fleetValidationError";
import { LineIndex } from "./lines";
import {
  FLEET_FIELDS,
  type FleetField,
  type RawEntry,
  type RawFleet,
  UNKNOWN_FIELD,
  unknownFieldMessage,
} from "./rawEntry";

/**
 * Reads a JSON fleet file: `{"locations": [...]}` (or a bare array) of objects with `customerId`,
 * `locationId`, `serviceId` and optionally `profile`, all strings. Numbers are rejected rather than
 * converted (a JSON number has already lost an id's leading zeros); duplicate keys are problems.
 */
export function readJsonFleet(file: string, text: string): RawFleet {
  const lines = new LineIndex(text);
  const problems: FleetProblem[] = [];
  const report = (offset: number | undefined, path: string, code: string, message: string) => {
    const line = offset === undefined ? undefined : lines.lineAt(offset);
    problems.push({ code, path, message, file, line });
  };

  if (text.trim() === "") {
    report(undefined, "", "empty-file", 'the file is empty; write {"locations": []} to declare no locations');
    return { entries: [], problems };
  }
  let root: JsonNode;
  try {
    root = parseJsonWithPositions(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    report(error.offset, "", "invalid-json", `invalid JSON: ${error.message}`);
    return { entries: [], problems };
  }

  let list: JsonNode | undefined = root;
  let listPath = "";
  if (root.kind === "object") {
    listPath = "locations";
    list = undefined;
    const seen = new Set<string>();
    for (const member of root.members) {
      if (seen.has(member.key)) {
        report(member.keyStart, member.key, "duplicate-key", "duplicate key");
      } else if (member.key === "locations") {
        list = member.value;
      } else {
        report(
          member.keyStart,
          member.key,
          "unknown-key",
          'unknown top-level key; a fleet file has only "locations"',
        );
      }
      seen.add(member.key);
    }
    if (list === undefined) {
      report(
        root.start,
        "",
        "missing-locations",
        'missing "locations"; write {"locations": []} to declare no locations',
      );
      return { entries: [], problems };
    }
  }
  if (list.kind !== "array") {
    report(list.start, listPath, "not-a-list", "must be an array of locations");
    return { entries: [], problems };
  }

  const entries: RawEntry[] = [];
  list.items.forEach((item, index) => {
    const path = `${listPath}[${index}]`;
    if (item.kind !== "object") {
      report(
        item.start,
        path,
        "not-an-entry",
        "must be an object with customerId, locationId, serviceId and profile",
      );
      return;
    }
    const entry: RawEntry = { line: lines.lineAt(item.start), path, fields: {} };
    for (const member of item.members) {
      const label = `${path}.${member.key}`;
      if (!(FLEET_FIELDS as readonly string[]).includes(member.key)) {
        report(member.keyStart, label, UNKNOWN_FIELD, unknownFieldMessage(member.key));
        continue;
      }
      const field = member.key as FleetField;
      if (entry.fields[field] !== undefined) {
        report(member.keyStart, label, "duplicate-key", "duplicate key");
        continue;
      }
      const line = lines.lineAt(member.value.start);
      const value = member.value;
      if (value.kind === "string") {
        entry.fields[field] = { text: value.value, line, field: label };
      } else {
        const problem = {
          code: "not-a-string",
          message:
            value.kind === "number"
              ? `must be a string; write it in quotes ("${value.raw}")`
              : "must be a string",
        };
        entry.fields[field] = { text: undefined, problem, line, field: label };
      }
    }
    entries.push(entry);
  });
  return { entries, problems };
}

/** A JSON value with the offset where it starts, so problems can name the line. */
type JsonNode =
  | { kind: "object"; start: number; members: JsonMember[] }
  | { kind: "array"; start: number; items: JsonNode[] }
  | { kind: "string"; start: number; value: string }
  | { kind: "number" | "literal"; start: number; raw: string };

/** An object or array node, which other nodes are placed in while it is open. */
type JsonContainer = Extract<JsonNode, { kind: "object" | "array" }>;

/** One `"key": value` of an object, duplicates kept (the caller reports them). */
interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonNode;
}

/** A JSON syntax error at a character offset. */
class JsonSyntaxError extends Error {
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

/**
 * Parses JSON text (RFC 8259: no comments, no trailing commas) with jsonc-parser into {@link JsonNode}s that
 * remember where each value starts and keep duplicate keys: `JSON.parse` can neither say on which line an
 * entry is nor see a duplicate key, which a fleet file must report. Throws {@link JsonSyntaxError} at the
 * first error, and on opening a container deeper than {@link MAX_DEPTH}: jsonc-parser's parser recurses, and
 * stopping it there keeps 100,000 nested brackets from overflowing the stack.
 */
function parseJsonWithPositions(text: string): JsonNode {
  const open: JsonContainer[] = [];
  let root: JsonNode | undefined;
  let key = { name: "", start: 0 };
  const place = (node: JsonNode) => {
    const parent = open.at(-1);
    if (parent === undefined) root = node;
    else if (parent.kind === "array") parent.items.push(node);
    else parent.members.push({ key: key.name, keyStart: key.start, value: node });
  };
  const openContainer = (node: JsonContainer) => {
    if (open.length === MAX_DEPTH) {
      throw new JsonSyntaxError(`nested deeper than ${MAX_DEPTH} levels`, node.start);
    }
    place(node);
    open.push(node);
  };
  visit(
    text,
    {
      onObjectBegin: (start) => openContainer({ kind: "object", start, members: [] }),
      onArrayBegin: (start) => openContainer({ kind: "array", start, items: [] }),
      onObjectEnd: () => void open.pop(),
      onArrayEnd: () => void open.pop(),
      onObjectProperty: (name: string, start) => {
        key = { name, start };
      },
      onLiteralValue: (value: unknown, start, length) => {
        if (typeof value === "string") return place({ kind: "string", start, value });
        const raw = text.slice(start, start + length);
        place({ kind: typeof value === "number" ? "number" : "literal", start, raw });
      },
      onError: (error, offset, length) => {
        throw new JsonSyntaxError(syntaxMessage(text, error, offset, length), offset);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  // jsonc-parser reports text without a value as an error, so a root was placed.
  return root as JsonNode;
}

/** Our message for one of jsonc-parser's errors: what was found, and what JSON wants there. */
function syntaxMessage(text: string, error: ParseErrorCode, offset: number, length: number): string {
  const found = describeToken(text, offset, length);
  switch (error) {
    case ParseErrorCode.InvalidSymbol:
      return `unexpected ${found}, which is not JSON (strings and keys take double quotes)`;
    case ParseErrorCode.PropertyNameExpected:
    case ParseErrorCode.ValueExpected:
      if ((text[offset] === "}" || text[offset] === "]") && followsComma(text, offset)) {
        return `unexpected ${found} after a comma; JSON allows no trailing comma, remove it`;
      }
      return error === ParseErrorCode.PropertyNameExpected
        ? `expected a quoted key but found ${found}`
        : `unexpected ${found}; expected a JSON value`;
    case ParseErrorCode.ColonExpected:
      return `expected ":" but found ${found}`;
    case ParseErrorCode.CommaExpected:
      return `expected "," but found ${found}`;
    case ParseErrorCode.CloseBraceExpected:
      return `expected "}" but found ${found}`;
    case ParseErrorCode.CloseBracketExpected:
      return `expected "]" but found ${found}`;
    case ParseErrorCode.EndOfFileExpected:
      return `unexpected ${found} after the end of the JSON value`;
    case ParseErrorCode.InvalidCommentToken:
    case ParseErrorCode.UnexpectedEndOfComment:
      return "JSON has no comments; remove it (a YAML fleet file may have comments)";
    case ParseErrorCode.UnexpectedEndOfString:
      return "unterminated string; end it on the line it starts (write a line break in it as \\n)";
    case ParseErrorCode.InvalidCharacter:
      return "control character in string; write it as an escape such as \\n";
    case ParseErrorCode.InvalidEscapeCharacter:
      return "invalid escape in string; write a backslash as \\\\";
    case ParseErrorCode.InvalidUnicode:
      return "invalid \\u escape in string; it takes four hex digits";
    case ParseErrorCode.UnexpectedEndOfNumber:
    case ParseErrorCode.InvalidNumberFormat:
      return `invalid number ${found}`;
    default:
      return printParseErrorCode(error);
  }
}

/** The token at `offset` for a message: `end of file`, `a string`, or its text in quotes. */
function describeToken(text: string, offset: number, length: number): string {
  if (offset >= text.length) return "end of file";
  if (text[offset] === '"') return "a string";
  return quoteForMessage(text.slice(offset, offset + Math.max(length, 1)));
}

/** Whether the nearest character before `offset` that is not JSON whitespace is a comma. */
function followsComma(text: string, offset: number): boolean {
  let at = offset - 1;
  while (at >= 0 && " \t\r\n".includes(text[at])) at--;
  return text[at] === ",";
}
