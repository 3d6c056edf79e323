/**
 * The bad-input corpus: malformed fleet files (YAML, CSV, JSON) and malformed resource arguments, generated
 * at test time. Every case states the outcome it must get: a rejection that names the line and field the
 * loader must report (or the property `check` must name), or, for inputs that look odd but are how real CRM
 * exports look (a byte-order mark, CRLF line endings, non-ASCII service ids), a clean load.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The fleet file formats the loader accepts, chosen by extension. */
export type FleetFormat = "yaml" | "csv" | "json";

/** The fields of one fleet entry, in the order the generator writes them. */
export const ENTRY_FIELDS = ["customerId", "locationId", "serviceId", "profile"] as const;

/** One of the fields of a fleet entry or of the resource's arguments. */
export type EntryField = (typeof ENTRY_FIELDS)[number];

/** What the loader (or `check`) must do with a case. */
export type ExpectedOutcome =
  | RejectedOutcome
  | AcceptedOutcome
  | {
      /**
       * Harmless if kept exactly, so either outcome is fine: a rejection naming the field, or a load that keeps
       * the value byte for byte (the client then sends it as one percent-encoded path segment).
       */
      kind: "tolerated";
      entry: number;
      field: EntryField;
      value: string;
    }
  | {
      /** A policy choice where both answers are safe: a clean load as described, or a clear rejection. */
      kind: "either";
      accepted: AcceptedOutcome;
      rejected: RejectedOutcome;
    };

/** The input must be rejected before anything is sent, at one of `lines`, naming `field`. */
export interface RejectedOutcome {
  kind: "rejected";
  /** The 1-based lines the problem may be reported at (an entry's first line or the field's); empty: any. */
  lines: number[];
  /** The field the problem must name; `undefined` for file-level problems (syntax, encoding, shape). */
  field: EntryField | undefined;
  /** Text the error must quote, e.g. a misspelt column name, so the reader knows what to fix. */
  mentions?: string;
}

/** The input must load with `entries` entries carrying `serviceIds` (and `value`, when given). */
export interface AcceptedOutcome {
  kind: "accepted";
  entries: number;
  /** The service ids the entries must carry, in order, to prove the odd bytes were read right. */
  serviceIds: string[];
  /** A field value the load must produce, e.g. a profile spelling normalised to `smallbusiness`. */
  value?: { entry: number; field: EntryField; is: string };
}

/** One malformed (or merely unusual) fleet file. */
export interface FleetCase {
  /** Unique, readable identifier, also used as the file's base name. */
  id: string;
  /** What is wrong with the file, for the test's name. */
  description: string;
  format: FleetFormat;
  /** The file's bytes. */
  content: Buffer;
  expected: ExpectedOutcome;
}

/** One malformed set of resource arguments, as `check` receives them. */
export interface ArgsCase {
  id: string;
  description: string;
  args: Record<string, unknown>;
  /** The property the failure must name. */
  property: EntryField;
  /**
   * `rejected`: `check` must return a failure naming the property. `normalisedTo`: `check` accepts a spelling
   * the fleet loader accepts too (`WorkPass`) and stores the canonical value.
   */
  outcome: "rejected" | { normalisedTo: string };
}

/**
 * A value to place in a field. `json` values are written as the format's natural encoding of the value (a
 * quoted string, a number, a list...); `raw` text is written into the file as is, unquoted, to reproduce what
 * a hand-edited or exported file contains.
 */
type FieldValue = { json: unknown } | { raw: string } | { omitted: true };

interface BadValue {
  label: string;
  value: FieldValue;
  /** Formats in which the value can be expressed at all (CSV has no types, no lists, no null). */
  formats: FleetFormat[];
  /**
   * How a fleet file treats the value when not by rejection: the loader reads some profile spellings
   * (`WorkPass`, `small business`) as the profile they name.
   */
  inFleet?: { normalisedTo: string } | { eitherNormalisedTo: string };
  /** How `check` treats the value when not by rejection: the same profile spellings as the loader. */
  inArgs?: { normalisedTo: string };
  /**
   * The loader reads YAML scalars as the text written (`00123` stays `"00123"`, `true` stays `"true"`), so a
   * typed scalar in YAML is either rejected or kept as exactly that text, never converted.
   */
  yamlText?: string;
}

const ALL_FORMATS: FleetFormat[] = ["yaml", "csv", "json"];
const TYPED_FORMATS: FleetFormat[] = ["yaml", "json"];
const ONE_MEGABYTE = 1024 * 1024;

/** Values no id may take: they are empty, too long, not one path segment, or carry invisible characters. */
const BAD_ID_VALUES: BadValue[] = [
  { label: "an empty string", value: { json: "" }, formats: ALL_FORMATS },
  { label: "only spaces", value: { json: "   " }, formats: ALL_FORMATS },
  { label: "a 1 MB string", value: { json: "a".repeat(ONE_MEGABYTE) }, formats: ALL_FORMATS },
  { label: "a parent-directory segment", value: { json: "../admin" }, formats: ALL_FORMATS },
  { label: "two dots", value: { json: ".." }, formats: ALL_FORMATS },
  { label: "a single dot", value: { json: "." }, formats: ALL_FORMATS },
  { label: "a slash", value: { json: "abc/def" }, formats: ALL_FORMATS },
  { label: "a leading slash", value: { json: "/abc" }, formats: ALL_FORMATS },
  { label: "an encoded slash %2F", value: { json: "abc%2Fdef" }, formats: ALL_FORMATS },
  { label: "an encoded parent %2e%2e", value: { json: "%2e%2e" }, formats: ALL_FORMATS },
  { label: "a backslash", value: { json: "abc\\def" }, formats: ALL_FORMATS },
  {
    label: "a query string",
    value: { json: "abc?x=1" },
    formats: ALL_FORMATS,
  },
  {
    label: "a fragment",
    value: { json: "abc#frag" },
    formats: ALL_FORMATS,
  },
  { label: "an embedded newline", value: { json: "abc\ndef" }, formats: ALL_FORMATS },
  { label: "an embedded carriage return", value: { json: "abc\rdef" }, formats: ALL_FORMATS },
  { label: "a tab", value: { json: "abc\tdef" }, formats: ALL_FORMATS },
  { label: "a NUL character", value: { json: "abc\u0000def" }, formats: ALL_FORMATS },
  { label: "an ANSI escape sequence", value: { json: "abc\u001b[2Jdef" }, formats: ALL_FORMATS },
  {
    label: "a right-to-left override",
    value: { json: "abc\u202edef" },
    formats: ALL_FORMATS,
  },
  {
    label: "a zero-width space",
    value: { json: "abc\u200bdef" },
    formats: ALL_FORMATS,
  },
  { label: "a leading space", value: { json: " abc" }, formats: ALL_FORMATS },
  { label: "a number", value: { json: 42 }, formats: TYPED_FORMATS, yamlText: "42" },
  {
    label: "an unquoted YAML float look-alike",
    value: { raw: "1234e5" },
    formats: ["yaml"],
    yamlText: "1234e5",
  },
  { label: "a boolean", value: { json: true }, formats: TYPED_FORMATS, yamlText: "true" },
  { label: "null", value: { json: null }, formats: TYPED_FORMATS, yamlText: "null" },
  { label: "a list", value: { json: ["abc"] }, formats: TYPED_FORMATS },
  { label: "a mapping", value: { json: { id: "abc" } }, formats: TYPED_FORMATS },
  { label: "a missing value", value: { omitted: true }, formats: ALL_FORMATS },
];

/** Values `serviceId` may not take. It is free text, but not empty, huge, multi-line or full of controls. */
const BAD_SERVICE_ID_VALUES: BadValue[] = [
  { label: "an empty string", value: { json: "" }, formats: ALL_FORMATS },
  { label: "only spaces", value: { json: "   " }, formats: ALL_FORMATS },
  { label: "a 1 MB string", value: { json: "S".repeat(ONE_MEGABYTE) }, formats: ALL_FORMATS },
  { label: "an embedded newline", value: { json: "SVC\n001" }, formats: ALL_FORMATS },
  { label: "an embedded carriage return", value: { json: "SVC\r001" }, formats: ALL_FORMATS },
  { label: "a NUL character", value: { json: "SVC\u0000001" }, formats: ALL_FORMATS },
  { label: "an ANSI escape sequence", value: { json: "SVC\u001b[31m001" }, formats: ALL_FORMATS },
  { label: "a bell character", value: { json: "SVC\u0007" }, formats: ALL_FORMATS },
  { label: "a number", value: { json: 12345 }, formats: TYPED_FORMATS, yamlText: "12345" },
  {
    label: "an unquoted number with leading zeros",
    value: { raw: "00123" },
    formats: ["yaml"],
    yamlText: "00123",
  },
  { label: "a boolean", value: { json: false }, formats: TYPED_FORMATS, yamlText: "false" },
  { label: "null", value: { json: null }, formats: TYPED_FORMATS, yamlText: "null" },
  { label: "a list", value: { json: ["SVC-1", "SVC-2"] }, formats: TYPED_FORMATS },
  { label: "a mapping", value: { json: { id: "SVC-1" } }, formats: TYPED_FORMATS },
  { label: "a missing value", value: { omitted: true }, formats: ALL_FORMATS },
];

/** Values `profile` may not take: only `auto` and `smallbusiness` exist (or the field left out). */
const BAD_PROFILE_VALUES: BadValue[] = [
  {
    label: "an empty string",
    value: { json: "" },
    formats: ["yaml", "json"],
    inFleet: { eitherNormalisedTo: "auto" },
  },
  {
    label: "the guide's typo 'small business'",
    value: { json: "small business" },
    formats: ALL_FORMATS,
    inFleet: { normalisedTo: "smallbusiness" },
    inArgs: { normalisedTo: "smallbusiness" },
  },
  {
    label: "upper case 'AUTO'",
    value: { json: "AUTO" },
    formats: ALL_FORMATS,
    inFleet: { normalisedTo: "auto" },
    inArgs: { normalisedTo: "auto" },
  },
  {
    label: "the product name 'WorkPass'",
    value: { json: "WorkPass" },
    formats: ALL_FORMATS,
    inFleet: { normalisedTo: "smallbusiness" },
    inArgs: { normalisedTo: "smallbusiness" },
  },
  { label: "the restricted 'property'", value: { json: "property" }, formats: ALL_FORMATS },
  { label: "a misspelling 'smallbusines'", value: { json: "smallbusines" }, formats: ALL_FORMATS },
  {
    label: "a trailing newline",
    value: { json: "auto\n" },
    formats: ALL_FORMATS,
    inFleet: { normalisedTo: "auto" },
    inArgs: { normalisedTo: "auto" },
  },
  { label: "a 1 MB string", value: { json: "p".repeat(ONE_MEGABYTE) }, formats: ALL_FORMATS },
  { label: "a number", value: { json: 1 }, formats: TYPED_FORMATS },
  { label: "a boolean", value: { json: true }, formats: TYPED_FORMATS },
  { label: "a list", value: { json: ["auto"] }, formats: TYPED_FORMATS },
];

const BAD_VALUES_BY_FIELD: Record<EntryField, BadValue[]> = {
  customerId: BAD_ID_VALUES,
  locationId: BAD_ID_VALUES,
  serviceId: BAD_SERVICE_ID_VALUES,
  profile: BAD_PROFILE_VALUES,
};

/** A valid entry of the generated fleets: entry `i` is location `loc-<i>` of customer `cust-<i mod 2>`. */
export interface ValidEntry {
  customerId: string;
  locationId: string;
  serviceId: string;
  profile: "auto" | "smallbusiness";
}

/** The `i`-th valid entry of a generated fleet (ids are 24-hex like Plume's, and never collide). */
export function validEntry(i: number): ValidEntry {
  return {
    customerId: `c0ffee${String(i % 3).padStart(18, "0")}`,
    locationId: `10ca7e${String(i).padStart(18, "0")}`,
    serviceId: `SVC-${String(i).padStart(5, "0")}`,
    profile: i % 2 === 0 ? "auto" : "smallbusiness",
  };
}

type EntryOverrides = Partial<Record<EntryField, FieldValue>>;

/** A rendered fleet file plus where each entry's fields landed, so cases can state the expected line. */
interface RenderedFleet {
  text: string;
  /** lineOf[entryIndex][field] is the 1-based line holding that field (the record's line for CSV). */
  lineOf: Array<Record<EntryField, number>>;
  /** entryLines[entryIndex] are the lines an entry-level problem may be reported at (its opening lines). */
  entryLines: number[][];
}

function fieldsOf(entry: ValidEntry, overrides: EntryOverrides): Array<[EntryField, FieldValue]> {
  const fields: Array<[EntryField, FieldValue]> = [];
  for (const field of ENTRY_FIELDS) {
    const value = overrides[field] ?? { json: entry[field] };
    if (!("omitted" in value)) fields.push([field, value]);
  }
  return fields;
}

function yamlScalar(value: FieldValue): string {
  if ("raw" in value) return value.raw;
  if ("omitted" in value) return "";
  // JSON is valid YAML flow syntax, and JSON string escapes are valid YAML double-quoted escapes.
  return JSON.stringify(value.json);
}

/** Writes entries as block YAML under `locations:`, one field per line. */
function renderYaml(count: number, overrides: Map<number, EntryOverrides>): RenderedFleet {
  const lines = ["# Desired serviceId and profile of every location", "locations:"];
  const lineOf: RenderedFleet["lineOf"] = [];
  const entryLines: number[][] = [];
  for (let i = 0; i < count; i++) {
    const positions = {} as Record<EntryField, number>;
    const fields = fieldsOf(validEntry(i), overrides.get(i) ?? {});
    entryLines.push([lines.length + 1]);
    fields.forEach(([field, value], index) => {
      positions[field] = lines.length + 1;
      lines.push(`${index === 0 ? "  - " : "    "}${field}: ${yamlScalar(value)}`);
    });
    lineOf.push(positions);
  }
  return { text: lines.join("\n") + "\n", lineOf, entryLines };
}

/** Writes entries as pretty JSON: `{"locations": [{...}, ...]}`, one field per line. */
function renderJson(count: number, overrides: Map<number, EntryOverrides>): RenderedFleet {
  const lines = ["{", '  "locations": ['];
  const lineOf: RenderedFleet["lineOf"] = [];
  const entryLines: number[][] = [];
  for (let i = 0; i < count; i++) {
    const positions = {} as Record<EntryField, number>;
    const fields = fieldsOf(validEntry(i), overrides.get(i) ?? {});
    entryLines.push([lines.length + 1, lines.length + 2]);
    lines.push("    {");
    fields.forEach(([field, value], index) => {
      positions[field] = lines.length + 1;
      const encoded = "raw" in value ? value.raw : JSON.stringify("json" in value ? value.json : null);
      lines.push(`      ${JSON.stringify(field)}: ${encoded}${index < fields.length - 1 ? "," : ""}`);
    });
    lines.push(i < count - 1 ? "    }," : "    }");
    lineOf.push(positions);
  }
  lines.push("  ]", "}");
  return { text: lines.join("\n") + "\n", lineOf, entryLines };
}

function csvCell(value: FieldValue): string {
  if ("omitted" in value) return "";
  const text = "raw" in value ? value.raw : String(value.json);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes a CRM-style CSV: a header row, then one row per entry (an omitted field is an empty cell). */
function renderCsv(count: number, overrides: Map<number, EntryOverrides>): RenderedFleet {
  const lines = [ENTRY_FIELDS.join(",")];
  const lineOf: RenderedFleet["lineOf"] = [];
  const entryLines: number[][] = [];
  for (let i = 0; i < count; i++) {
    const entry = validEntry(i);
    const entryOverrides = overrides.get(i) ?? {};
    const recordLine = lines.join("\n").split("\n").length + 1;
    const cells = ENTRY_FIELDS.map((field) => csvCell(entryOverrides[field] ?? { json: entry[field] }));
    lines.push(cells.join(","));
    lineOf.push({
      customerId: recordLine,
      locationId: recordLine,
      serviceId: recordLine,
      profile: recordLine,
    });
    entryLines.push([recordLine]);
  }
  return { text: lines.join("\n") + "\n", lineOf, entryLines };
}

const RENDERERS: Record<
  FleetFormat,
  (count: number, overrides: Map<number, EntryOverrides>) => RenderedFleet
> = {
  yaml: renderYaml,
  json: renderJson,
  csv: renderCsv,
};

/** Renders a valid fleet of `count` entries in a format (the base every malformed case starts from). */
export function renderValidFleet(format: FleetFormat, count: number): string {
  return RENDERERS[format](count, new Map()).text;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** One bad value in one field of one entry, for every field, value and format where it can be written. */
function fieldValueCases(): FleetCase[] {
  const cases: FleetCase[] = [];
  let rotation = 0;
  for (const format of ALL_FORMATS) {
    for (const field of ENTRY_FIELDS) {
      for (const bad of BAD_VALUES_BY_FIELD[field]) {
        if (!bad.formats.includes(format)) continue;
        // Vary which entry is broken so that a loader reporting a fixed line cannot pass.
        const count = 3 + (rotation % 3);
        const broken = rotation % count;
        rotation++;
        const rendered = RENDERERS[format](count, new Map([[broken, { [field]: bad.value }]]));
        // A missing field can only be reported at its entry; a bad value at its own line or its entry's.
        const lines =
          "omitted" in bad.value
            ? rendered.entryLines[broken]
            : [rendered.lineOf[broken][field], ...rendered.entryLines[broken]];
        let expected: ExpectedOutcome = { kind: "rejected", lines: [...new Set(lines)], field };
        if (format === "yaml" && bad.yamlText !== undefined) {
          expected = { kind: "tolerated", entry: broken, field, value: bad.yamlText };
        } else if (bad.inFleet !== undefined) {
          const serviceIds = Array.from({ length: count }, (_, i) => validEntry(i).serviceId);
          if ("normalisedTo" in bad.inFleet) {
            const value = { entry: broken, field, is: bad.inFleet.normalisedTo };
            expected = { kind: "accepted", entries: count, serviceIds, value };
          } else {
            const value = { entry: broken, field, is: bad.inFleet.eitherNormalisedTo };
            const rejection = expected as RejectedOutcome;
            expected = {
              kind: "either",
              accepted: { kind: "accepted", entries: count, serviceIds, value },
              rejected: rejection,
            };
          }
        }
        cases.push({
          id: `${format}-${field}-${slug(bad.label)}`,
          description: `${format.toUpperCase()} fleet whose entry ${broken + 1} has ${bad.label} as ${field}`,
          format,
          content: Buffer.from(rendered.text, "utf8"),
          expected,
        });
      }
    }
  }
  return cases;
}

function rejected(lines: number | number[] | undefined, field?: EntryField): ExpectedOutcome {
  const list = lines === undefined ? [] : Array.isArray(lines) ? lines : [lines];
  return { kind: "rejected", lines: [...new Set(list)], field };
}

function accepted(count: number): ExpectedOutcome {
  return {
    kind: "accepted",
    entries: count,
    serviceIds: Array.from({ length: count }, (_, i) => validEntry(i).serviceId),
  };
}

function fleetCase(
  format: FleetFormat,
  name: string,
  description: string,
  content: string | Buffer,
  expected: ExpectedOutcome,
): FleetCase {
  return {
    id: `${format}-${slug(name)}`,
    description,
    format,
    content: typeof content === "string" ? Buffer.from(content, "utf8") : content,
    expected,
  };
}

const BOM = "\ufeff";

function withCrlf(text: string): string {
  return text.replace(/\n/g, "\r\n");
}

/** File-level cases every format shares: encodings, line endings, truncation, duplicates, emptiness. */
function sharedFileCases(format: FleetFormat): FleetCase[] {
  const valid = renderValidFleet(format, 4);
  const validLines = valid.split("\n");
  const first = validEntry(0);
  const duplicated = RENDERERS[format](
    3,
    new Map([[2, { customerId: { json: first.customerId }, locationId: { json: first.locationId } }]]),
  );
  const brokenLate = RENDERERS[format](4, new Map([[3, { serviceId: { json: "" } }]]));
  const nonAscii = RENDERERS[format](2, new Map([[1, { serviceId: { json: "Zürich-Straße-東京-001" } }]]));
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, "utf16le")]);
  const invalidUtf8 = Buffer.concat([
    Buffer.from(validLines.slice(0, -2).join("\n") + "\n"),
    Buffer.from([0xc3, 0x28, 0xa0, 0xa1]),
    Buffer.from("\n" + validLines.slice(-2).join("\n")),
  ]);
  const cases: FleetCase[] = [
    fleetCase(format, "bom", "a valid fleet starting with a UTF-8 byte-order mark", BOM + valid, accepted(4)),
    fleetCase(format, "crlf", "a valid fleet with Windows CRLF line endings", withCrlf(valid), accepted(4)),
    fleetCase(
      format,
      "bom-crlf",
      "a valid fleet exported on Windows: BOM and CRLF",
      BOM + withCrlf(valid),
      accepted(4),
    ),
    fleetCase(
      format,
      "trailing-newlines",
      "a valid fleet followed by blank lines",
      valid + "\n\n",
      accepted(4),
    ),
    {
      ...fleetCase(
        format,
        "non-ascii-service-id",
        "a service id in non-ASCII Unicode",
        nonAscii.text,
        accepted(2),
      ),
      expected: { kind: "accepted", entries: 2, serviceIds: ["SVC-00000", "Zürich-Straße-東京-001"] },
    },
    fleetCase(
      format,
      "crlf-error-line",
      "CRLF line endings with an empty serviceId in the last entry (lines must still count right)",
      withCrlf(brokenLate.text),
      rejected([brokenLate.lineOf[3].serviceId, ...brokenLate.entryLines[3]], "serviceId"),
    ),
    fleetCase(
      format,
      "bom-error-line",
      "a byte-order mark with an empty serviceId in the last entry",
      BOM + brokenLate.text,
      rejected([brokenLate.lineOf[3].serviceId, ...brokenLate.entryLines[3]], "serviceId"),
    ),
    fleetCase(format, "duplicate-location", "the same customer and location twice", duplicated.text, {
      kind: "rejected",
      lines: [...new Set([duplicated.lineOf[2].locationId, ...duplicated.entryLines[2]])],
      field: undefined,
      mentions: first.locationId,
    }),
    fleetCase(
      format,
      "empty-file",
      "an empty file (a failed export must not delete a fleet)",
      "",
      rejected(undefined),
    ),
    fleetCase(format, "whitespace-only", "a file of blank lines", "\n \n\t\n", rejected(undefined)),
    fleetCase(format, "utf16", "a UTF-16 little-endian file (Excel's 'Unicode text')", utf16, {
      kind: "either",
      accepted: accepted(4) as AcceptedOutcome,
      rejected: rejected(undefined) as RejectedOutcome,
    }),
    fleetCase(format, "invalid-utf8", "bytes that are not UTF-8", invalidUtf8, rejected(undefined)),
    fleetCase(
      format,
      "nul-bytes",
      "NUL bytes in the middle of the file",
      valid.replace("\n", "\n\u0000\u0000\n"),
      rejected(undefined),
    ),
    fleetCase(
      format,
      "binary",
      "a binary file given by mistake",
      Buffer.from([
        0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0xff, 0xfe,
      ]),
      rejected(undefined),
    ),
  ];
  // Truncated at several points: mid-value, mid-line, at a line end (a valid prefix missing fields).
  // Truncated where no parser can mistake the rest for a complete, shorter fleet: inside a value, inside
  // the last entry's first field, and after the last entry's locationId. (A cut exactly at an entry boundary
  // leaves a valid shorter fleet; docs/reliability.md says how that case is caught.)
  const lastEntry = validEntry(3);
  const afterLocationId = format === "csv" ? `${lastEntry.locationId},` : `${lastEntry.locationId}",\n`;
  const cuts: Array<[string, number]> = [
    ["in-service-id", valid.lastIndexOf(lastEntry.serviceId) + 5],
    ["in-customer-id", valid.lastIndexOf(lastEntry.customerId) + 7],
    [
      "after-location-id",
      valid.lastIndexOf(lastEntry.locationId) + afterLocationId.length - (format === "yaml" ? 1 : 0),
    ],
  ];
  for (const [where, cut] of cuts) {
    cases.push(
      fleetCase(
        format,
        `truncated-${where}`,
        `a file truncated ${where.replace(/-/g, " ")} of its last entry`,
        valid.slice(0, cut),
        rejected(undefined),
      ),
    );
  }
  return cases;
}

/** YAML-only trouble: aliases, anchors, tags, duplicate keys, tabs, several documents. */
function yamlFileCases(): FleetCase[] {
  const entry = validEntry(0);
  const bomb = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
    "locations: *i",
  ].join("\n");
  const aliasedEntry = [
    "locations:",
    `  - &first`,
    `    customerId: "${entry.customerId}"`,
    `    locationId: "${entry.locationId}"`,
    `    serviceId: "${entry.serviceId}"`,
    "  - *first",
  ].join("\n");
  const aliasedServiceId = [
    "locations:",
    `  - customerId: "${entry.customerId}"`,
    `    locationId: "${entry.locationId}"`,
    `    serviceId: &svc "${entry.serviceId}"`,
    `  - customerId: "${validEntry(1).customerId}"`,
    `    locationId: "${validEntry(1).locationId}"`,
    `    serviceId: *svc`,
  ].join("\n");
  const duplicateKey = [
    "locations:",
    `  - customerId: "${entry.customerId}"`,
    `    locationId: "${entry.locationId}"`,
    `    serviceId: "${entry.serviceId}"`,
    `    serviceId: "SVC-OTHER"`,
  ].join("\n");
  const validRendered = RENDERERS.yaml(3, new Map());
  const valid = validRendered.text;
  const second = {
    serviceIdLine: validRendered.lineOf[1].serviceId,
    profileLine: validRendered.lineOf[1].profile,
  };
  const secondEntryLines = validRendered.entryLines[1];
  const lines = valid.split("\n");
  const withTab = [...lines.slice(0, 3), lines[3].replace(/^ {4}/, "\t"), ...lines.slice(4)].join("\n");
  const deepNesting = "locations: " + "[".repeat(20000) + "]".repeat(20000) + "\n";
  return [
    fleetCase("yaml", "alias-bomb", "a billion-laughs alias bomb", bomb, rejected(undefined)),
    fleetCase(
      "yaml",
      "aliased-entry",
      "one entry repeated through an alias (a duplicate)",
      aliasedEntry,
      rejected(6),
    ),
    fleetCase(
      "yaml",
      "aliased-service-id",
      "a serviceId shared through an anchor",
      aliasedServiceId,
      rejected(7, "serviceId"),
    ),
    fleetCase("yaml", "duplicate-key", "a mapping with serviceId twice", duplicateKey, rejected(5)),
    fleetCase("yaml", "tab-indent", "a tab used for indentation", withTab, rejected(4)),
    fleetCase(
      "yaml",
      "two-documents",
      "two YAML documents in one file",
      valid + "---\n" + valid,
      rejected(undefined),
    ),
    fleetCase(
      "yaml",
      "top-level-scalar",
      "a bare string instead of a fleet",
      "just some text\n",
      rejected(undefined),
    ),
    fleetCase("yaml", "top-level-list-of-strings", "a list of strings", "- a\n- b\n", rejected(undefined)),
    fleetCase(
      "yaml",
      "locations-scalar",
      "`locations` set to a string",
      "locations: everything\n",
      rejected(1),
    ),
    fleetCase(
      "yaml",
      "locations-null",
      "`locations:` with nothing under it",
      "locations:\n",
      rejected(undefined),
    ),
    fleetCase("yaml", "entry-is-string", "an entry that is a string", "locations:\n  - loc-1\n", rejected(2)),
    fleetCase(
      "yaml",
      "js-function-tag",
      "a !!js/function tag",
      `locations: !!js/function "function(){}"\n`,
      rejected(1),
    ),
    fleetCase(
      "yaml",
      "binary-tag",
      "a !!binary serviceId",
      valid.replace(/serviceId: "SVC-00001"/, 'serviceId: !!binary "U1ZDLTAwMDE="'),
      rejected([second.serviceIdLine, ...secondEntryLines], "serviceId"),
    ),
    fleetCase(
      "yaml",
      "custom-tag",
      "an unknown local tag",
      valid.replace(/serviceId: "SVC-00001"/, 'serviceId: !secret "x"'),
      rejected(second.serviceIdLine),
    ),
    fleetCase("yaml", "deep-nesting", "20,000 nested flow sequences", deepNesting, rejected(undefined)),
    {
      ...fleetCase(
        "yaml",
        "unknown-field",
        "a misspelt field (profle) that would silently default",
        valid.replace(/profile: "smallbusiness"/, 'profle: "smallbusiness"'),
        rejected([second.profileLine, ...secondEntryLines]),
      ),
      expected: {
        kind: "rejected",
        lines: [second.profileLine, ...secondEntryLines],
        field: undefined,
        mentions: "profle",
      },
    },
    fleetCase(
      "yaml",
      "unclosed-quote",
      "an unclosed double quote",
      valid.replace('"SVC-00001"', '"SVC-00001'),
      rejected(undefined),
    ),
    fleetCase(
      "yaml",
      "unclosed-flow",
      "an unclosed flow mapping",
      "locations:\n  - {customerId: a, locationId: b\n",
      rejected(undefined),
    ),
    fleetCase(
      "yaml",
      "raw-control-char",
      "a raw control character in the stream",
      valid.replace("SVC-00001", "SVC-\u0001-00001"),
      rejected(second.serviceIdLine),
    ),
    fleetCase(
      "yaml",
      "lone-cr",
      "old Mac line endings (CR only)",
      valid.replace(/\n/g, "\r"),
      rejected(undefined),
    ),
  ];
}

/** JSON-only trouble: syntax JSON forbids, duplicate keys JSON.parse would hide, prototype keys. */
function jsonFileCases(): FleetCase[] {
  const valid = renderValidFleet("json", 3);
  const entry = validEntry(0);
  const duplicateKey = [
    "{",
    '  "locations": [',
    "    {",
    `      "customerId": "${entry.customerId}",`,
    `      "locationId": "${entry.locationId}",`,
    `      "serviceId": "${entry.serviceId}",`,
    `      "serviceId": "SVC-OTHER"`,
    "    }",
    "  ]",
    "}",
  ].join("\n");
  const protoKey = valid.replace('"profile": "auto"', '"__proto__": { "profile": "smallbusiness" }');
  const constructorKey = valid.replace(
    '"profile": "auto"',
    '"constructor": { "prototype": { "polluted": true } }',
  );
  return [
    fleetCase(
      "json",
      "trailing-comma",
      "a trailing comma after the last entry",
      valid.replace(/}\n {2}]/, "},\n  ]"),
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "comments",
      "// comments, which JSON does not allow",
      "// fleet\n" + valid,
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "single-quotes",
      "single-quoted strings",
      valid.replace(/"SVC-00001"/, "'SVC-00001'"),
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "duplicate-key",
      "serviceId twice in one object (JSON.parse would keep the last)",
      duplicateKey,
      rejected(7),
    ),
    fleetCase("json", "proto-key", "a __proto__ key in an entry", protoKey, rejected(undefined)),
    fleetCase(
      "json",
      "constructor-key",
      "a constructor key in an entry",
      constructorKey,
      rejected(undefined),
    ),
    fleetCase("json", "top-level-number", "a number instead of a fleet", "42\n", rejected(undefined)),
    fleetCase("json", "top-level-null", "null instead of a fleet", "null\n", rejected(undefined)),
    fleetCase(
      "json",
      "top-level-string",
      "a string instead of a fleet",
      '"locations"\n',
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "locations-object",
      "`locations` as an object",
      '{\n  "locations": {"a": 1}\n}\n',
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "entry-is-number",
      "an entry that is a number",
      '{\n  "locations": [\n    7\n  ]\n}\n',
      rejected(3),
    ),
    fleetCase("json", "nan", "NaN as serviceId", valid.replace('"SVC-00001"', "NaN"), rejected(undefined)),
    fleetCase(
      "json",
      "deep-nesting",
      "20,000 nested arrays",
      '{"locations": ' + "[".repeat(20000) + "]".repeat(20000) + "}",
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "unknown-field",
      "a misspelt field (profle) that would silently default",
      valid.replace('"profile": "smallbusiness"', '"profle": "smallbusiness"'),
      rejected(undefined),
    ),
    fleetCase(
      "json",
      "unterminated-string",
      "a string missing its closing quote",
      valid.replace('"SVC-00001"', '"SVC-00001'),
      rejected(undefined),
    ),
  ];
}

/** CSV-only trouble: headers, column counts, quoting, separators. */
function csvFileCases(): FleetCase[] {
  const valid = renderValidFleet("csv", 3);
  const [header, ...rows] = valid.trimEnd().split("\n");
  const join = (lines: string[]): string => lines.join("\n") + "\n";
  return [
    fleetCase(
      "csv",
      "missing-service-id-column",
      "no serviceId column",
      join([
        "customerId,locationId,profile",
        ...rows.map((r) =>
          r
            .split(",")
            .filter((_, i) => i !== 2)
            .join(","),
        ),
      ]),
      { kind: "rejected", lines: [1], field: undefined, mentions: "serviceId" },
    ),
    fleetCase(
      "csv",
      "header-typo",
      "a misspelt header (servce_id), which leaves no serviceId column",
      join([header.replace("serviceId", "servce_id"), ...rows]),
      { kind: "rejected", lines: [1], field: undefined, mentions: "serviceId" },
    ),
    fleetCase(
      "csv",
      "duplicate-column",
      "a column named twice",
      join([header + ",serviceId", ...rows.map((r) => r + ",SVC-X")]),
      rejected(1),
    ),
    fleetCase("csv", "no-header", "rows without a header", join(rows), rejected(1)),
    fleetCase(
      "csv",
      "header-only",
      "a header and no rows (more likely a failed export than an empty fleet)",
      join([header]),
      rejected(1),
    ),
    fleetCase(
      "csv",
      "short-row",
      "a row with a missing cell",
      join([header, rows[0], rows[1].split(",").slice(0, 3).join(","), rows[2]]),
      rejected(3),
    ),
    fleetCase(
      "csv",
      "long-row",
      "a row with an extra cell",
      join([header, rows[0], rows[1], rows[2] + ",extra"]),
      rejected(4),
    ),
    fleetCase(
      "csv",
      "unclosed-quote",
      "an opening quote never closed (a truncated export)",
      join([header, rows[0], rows[1].replace("SVC-", '"SVC-'), rows[2]]),
      rejected(3),
    ),
    fleetCase(
      "csv",
      "stray-quote",
      "a quote in the middle of an unquoted cell",
      join([header, rows[0].replace("SVC-", 'SV"C-'), rows[1], rows[2]]),
      { kind: "tolerated", entry: 0, field: "serviceId", value: 'SV"C-00000' },
    ),
    fleetCase(
      "csv",
      "semicolons",
      "semicolon separators (a European Excel export)",
      join([header, ...rows].map((r) => r.replace(/,/g, ";"))),
      accepted(3),
    ),
    fleetCase(
      "csv",
      "tabs",
      "tab separators",
      join([header, ...rows].map((r) => r.replace(/,/g, "\t"))),
      accepted(3),
    ),
    fleetCase(
      "csv",
      "quoted-newline-location",
      "a quoted locationId spanning two lines",
      join([header, rows[0], rows[1].replace(/,(10ca7e\d+),/, ',"$1\nX",'), rows[2]]),
      rejected(3, "locationId"),
    ),
    fleetCase(
      "csv",
      "blank-row-middle",
      "an all-empty row between entries",
      join([header, rows[0], ",,,", rows[1], rows[2]]),
      rejected(3),
    ),
  ];
}

/** Every malformed fleet file of the corpus (at least 200 of them). */
export function generateFleetCorpus(): FleetCase[] {
  const cases = [
    ...fieldValueCases(),
    ...ALL_FORMATS.flatMap(sharedFileCases),
    ...yamlFileCases(),
    ...jsonFileCases(),
    ...csvFileCases(),
  ];
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.id)) throw new Error(`corpus case id ${c.id} is not unique`);
    seen.add(c.id);
  }
  return cases;
}

const FILE_EXTENSIONS: Record<FleetFormat, string> = { yaml: ".yaml", csv: ".csv", json: ".json" };

/** Writes each case to `<dir>/<id>.<ext>` and returns the path of each case's file, by id. */
export function writeFleetCorpus(dir: string, cases: FleetCase[]): Map<string, string> {
  fs.mkdirSync(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const c of cases) {
    const file = path.join(dir, c.id + FILE_EXTENSIONS[c.format]);
    fs.writeFileSync(file, c.content);
    paths.set(c.id, file);
  }
  return paths;
}

/** Every malformed set of resource arguments: each bad value of each field, in an otherwise valid set. */
export function generateArgsCorpus(): ArgsCase[] {
  const cases: ArgsCase[] = [];
  for (const field of ENTRY_FIELDS) {
    for (const bad of BAD_VALUES_BY_FIELD[field]) {
      if ("raw" in bad.value) continue; // unquoted file text has no meaning as a resource argument
      const args: Record<string, unknown> = { ...validEntry(7) };
      if ("omitted" in bad.value) delete args[field];
      else args[field] = bad.value.json;
      cases.push({
        id: `args-${field}-${slug(bad.label)}`,
        description: `${bad.label} as ${field}`,
        args,
        property: field,
        outcome: bad.inArgs ?? "rejected",
      });
    }
  }
  return cases;
}
