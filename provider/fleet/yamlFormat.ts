import { type Node, type Pair, type YAMLMap, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
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
 * Reads a YAML fleet file: a mapping with a `locations` list (or a bare list) of entries with `customerId`,
 * `locationId`, `serviceId` and optionally `profile`.
 *
 * Every scalar is read as the text written (YAML's failsafe schema), so `locationId: 00123` stays `"00123"`
 * instead of becoming the number 123. Duplicate keys, aliases and unknown fields are problems. Aliases are
 * never expanded, which also makes alias bombs harmless.
 */
export function readYamlFleet(file: string, text: string): RawFleet {
  const lines = new LineIndex(text);
  const problems: FleetProblem[] = [];
  const report = (
    node: { range?: [number, number, number] | null } | null,
    path: string,
    code: string,
    message: string,
  ) => {
    const line = node?.range ? lines.lineAt(node.range[0]) : undefined;
    problems.push({ code, path, message, file, line });
  };

  const document = parseDocument(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: false });
  for (const error of document.errors) {
    problems.push({
      code: "invalid-yaml",
      path: "",
      message: yamlErrorMessage(error.message),
      file,
      line: lines.lineAt(error.pos[0]),
    });
  }
  if (problems.length > 0) return { entries: [], problems };

  const root = document.contents;
  let list: Node | null | undefined = root;
  let listPath = "";
  if (root === null || (isScalar(root) && String(root.value).trim() === "")) {
    report(
      null,
      "",
      "empty-file",
      'the file is empty; list the locations under "locations:" (write "locations: []" for none)',
    );
    return { entries: [], problems };
  }
  if (isMap(root)) {
    listPath = "locations";
    list = undefined;
    for (const pair of root.items) {
      const key = keyText(pair);
      if (key === "locations") list = pair.value as Node | null;
      else
        report(
          pair.key as Node,
          String(key),
          "unknown-key",
          'unknown top-level key; a fleet file has only "locations"',
        );
    }
    if (list === undefined) {
      report(
        root,
        "",
        "missing-locations",
        'missing "locations:"; list the locations under it (write "locations: []" for none)',
      );
      return { entries: [], problems };
    }
  }
  if (!isSeq(list)) {
    report(
      list ?? root,
      listPath,
      "not-a-list",
      'must be a list of locations (write "locations: []" for none)',
    );
    return { entries: [], problems };
  }

  const entries: RawEntry[] = [];
  list.items.forEach((item, index) => {
    const path = `${listPath}[${index}]`;
    const itemNode = item as Node | null;
    if (isAlias(itemNode)) {
      report(
        itemNode,
        path,
        "yaml-alias",
        "YAML aliases are not supported in fleet files; write each entry out in full",
      );
    } else if (!isMap(itemNode)) {
      report(
        itemNode ?? list,
        path,
        "not-an-entry",
        "must be a mapping with customerId, locationId, serviceId and profile",
      );
    } else {
      entries.push(readEntry(itemNode, path));
    }
  });
  return { entries, problems };

  function readEntry(map: YAMLMap, path: string): RawEntry {
    const entry: RawEntry = { line: lines.lineAt(map.range?.[0] ?? 0), path, fields: {} };
    for (const pair of map.items) {
      const key = keyText(pair);
      const keyNode = pair.key as Node;
      if (!(FLEET_FIELDS as readonly string[]).includes(String(key))) {
        report(keyNode, `${path}.${String(key)}`, UNKNOWN_FIELD, unknownFieldMessage(String(key)));
        continue;
      }
      const field = key as FleetField;
      const value = pair.value as Node | null;
      const line = lines.lineAt((value?.range ?? keyNode?.range ?? map.range ?? [0])[0]);
      const label = `${path}.${field}`;
      if (isScalar(value) && value.tag !== undefined && value.tag !== "tag:yaml.org,2002:str") {
        const problem = {
          code: "yaml-tag",
          message: `YAML tags (${value.tag}) are not supported in fleet files; write plain text`,
        };
        entry.fields[field] = { text: undefined, problem, line, field: label };
      } else if (isScalar(value)) {
        entry.fields[field] = { text: String(value.value), line, field: label };
      } else if (value === null) {
        entry.fields[field] = { text: "", line, field: label };
      } else {
        const problem = isAlias(value)
          ? { code: "yaml-alias", message: "YAML aliases are not supported in fleet files" }
          : { code: "not-text", message: "must be text" };
        entry.fields[field] = { text: undefined, problem, line, field: label };
      }
    }
    return entry;
  }
}

function keyText(pair: Pair): string {
  const key = pair.key as Node | null;
  return isScalar(key) ? String(key.value) : "(complex key)";
}

// The yaml package appends " at line L, column C" and a code excerpt; the problem carries the line already.
function yamlErrorMessage(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
