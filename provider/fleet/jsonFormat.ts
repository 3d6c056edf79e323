import type { FleetProblem } from "./fleetValidationError";
import { type JsonNode, JsonSyntaxError, parseJsonWithPositions } from "./jsonText";
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
