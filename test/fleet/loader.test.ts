import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  FleetFileError,
  type FleetProblem,
  FleetValidationError,
  type FleetFormat,
  loadFleet,
  parseFleet,
} from "../../provider/fleet";

function problemsOf(text: string, format: FleetFormat, fileName = `fleet.${format}`): FleetProblem[] {
  try {
    parseFleet(text, { format, fileName });
  } catch (error) {
    assert.ok(error instanceof FleetValidationError, `expected FleetValidationError, got ${String(error)}`);
    return [...error.problems];
  }
  assert.fail("expected the fleet to be rejected");
}

const SAME_FLEET: Record<FleetFormat, string> = {
  yaml: [
    "locations:",
    "  - customerId: cust-1",
    "    locationId: loc-a",
    "    serviceId: SVC-100",
    "  - customerId: cust-1",
    "    locationId: loc-b",
    "    serviceId: SVC-101",
    "    profile: smallbusiness",
    "",
  ].join("\n"),
  csv: "customerId,locationId,serviceId,profile\ncust-1,loc-a,SVC-100,\ncust-1,loc-b,SVC-101,smallbusiness\n",
  json: JSON.stringify(
    {
      locations: [
        { customerId: "cust-1", locationId: "loc-a", serviceId: "SVC-100" },
        { customerId: "cust-1", locationId: "loc-b", serviceId: "SVC-101", profile: "smallbusiness" },
      ],
    },
    null,
    2,
  ),
};

describe("the fleet loader", () => {
  for (const [format, text] of Object.entries(SAME_FLEET) as [FleetFormat, string][]) {
    it(`reads the same two locations from ${format}, defaulting the profile to auto`, () => {
      const fleet = parseFleet(text, { format, fileName: `fleet.${format}` });
      assert.deepEqual(
        fleet.entries.map(({ customerId, locationId, serviceId, profile }) => ({
          customerId,
          locationId,
          serviceId,
          profile,
        })),
        [
          { customerId: "cust-1", locationId: "loc-a", serviceId: "SVC-100", profile: "auto" },
          { customerId: "cust-1", locationId: "loc-b", serviceId: "SVC-101", profile: "smallbusiness" },
        ],
      );
      assert.deepEqual(
        fleet.entries.map((entry) => entry.name),
        ["loc-cust_2d1-loc_2da", "loc-cust_2d1-loc_2db"],
      );
    });

    it(`accepts a byte order mark and CRLF line ends in ${format}`, () => {
      const fleet = parseFleet(`\uFEFF${text.replace(/\n/g, "\r\n")}`, { format });
      assert.equal(fleet.entries.length, 2);
      assert.equal(fleet.entries[1].serviceId, "SVC-101");
    });
  }

  it("renders one problem per line as file:line field: message", () => {
    const text = "locations:\n  - customerId: c\n    locationId: l\n    serviceId: s\n    profile: premium\n";
    assert.throws(
      () => parseFleet(text, { format: "yaml", fileName: "fleet.yaml" }),
      (error: FleetValidationError) => {
        assert.match(
          error.message,
          /^fleet\.yaml:5 locations\[0\]\.profile: must be "auto" or "smallbusiness"/m,
        );
        assert.match(error.hint, /nothing was changed/);
        return true;
      },
    );
  });

  it("reports every problem of a YAML file at once, with its line and field", () => {
    const text = [
      "locations:", // 1
      "  - customerId: c1", // 2
      "    locationId: l1", // 3
      "    serviceId: ok", // 4
      "  - customerId: c1", // 5
      "    locationId: ../x", // 6
      "    serviceId: ''", // 7
      "    profile: premium", // 8
      "  - locationId: l3", // 9
      "    serviceId: s3", // 10
      "    serviceID: typo", // 11
    ].join("\n");
    assert.deepEqual(
      problemsOf(text, "yaml").map((problem) => [problem.line, problem.path]),
      [
        [6, "locations[1].locationId"],
        [7, "locations[1].serviceId"],
        [8, "locations[1].profile"],
        [9, "locations[2].customerId"],
        [11, "locations[2].serviceID"],
      ],
    );
  });

  for (const [format, text, lines] of [
    [
      "yaml",
      "locations:\n- {customerId: c, locationId: l, serviceId: a}\n- {customerId: c, locationId: l, serviceId: b}\n",
      [2, 3],
    ],
    ["csv", "customerId,locationId,serviceId\nc,l,a\nx,y,z\nc,l,b\n", [2, 4]],
    [
      "json",
      '[\n{"customerId":"c","locationId":"l","serviceId":"a"},\n{"customerId":"c","locationId":"l","serviceId":"b"}\n]',
      [2, 3],
    ],
  ] as const) {
    it(`rejects a location listed twice in ${format}, naming both lines`, () => {
      const problems = problemsOf(text, format);
      assert.equal(problems.length, 1);
      assert.deepEqual([problems[0].line, problems[0].code], [lines[1], "duplicate-location"]);
      assert.match(problems[0].message, new RegExp(`listed twice \\(lines ${lines[0]} and ${lines[1]}\\)`));
    });
  }

  for (const [written, expected] of [
    ["auto", "auto"],
    ["HomePass", "auto"],
    ["smallbusiness", "smallbusiness"],
    ["WorkPass", "smallbusiness"],
    ["Small Business", "smallbusiness"],
    ["WORKPASS", "smallbusiness"],
    ["", "auto"],
  ] as const) {
    // An empty CSV cell is the CRM's way of saying "the default".
    it(`reads the profile ${JSON.stringify(written)} as ${expected}`, () => {
      const fleet = parseFleet(`customerId,locationId,serviceId,profile\nc,l,s,${written}\n`, {
        format: "csv",
      });
      assert.equal(fleet.entries[0].profile, expected);
    });
  }

  for (const [label, id, message] of [
    ["a slash", "a/b", /must not contain '\/'/],
    ["a backslash", "a\\b", /must not contain/],
    ["a dot segment", "..", /must not be '\.' or '\.\.'/],
    ["a control character", "a\u0001b", /control characters/],
    ["surrounding whitespace", " a", /whitespace/],
    ["129 characters", "x".repeat(129), /at most 128 characters/],
  ] as const) {
    it(`rejects a location id with ${label}`, () => {
      const problems = problemsOf(
        JSON.stringify([{ customerId: "c", locationId: id, serviceId: "s" }]),
        "json",
      );
      assert.equal(problems.length, 1);
      assert.equal(problems[0].path, "[0].locationId");
      assert.match(problems[0].message, message);
    });
  }

  it("rejects a serviceId longer than 256 characters", () => {
    const problems = problemsOf(
      JSON.stringify([{ customerId: "c", locationId: "l", serviceId: "s".repeat(257) }]),
      "json",
    );
    assert.match(problems[0].message, /at most 256/);
  });

  it("keeps YAML ids exactly as written, leading zeros and all", () => {
    const fleet = parseFleet("locations:\n  - customerId: 007\n    locationId: 1e3\n    serviceId: 0x10\n", {
      format: "yaml",
    });
    assert.deepEqual(
      [fleet.entries[0].customerId, fleet.entries[0].locationId, fleet.entries[0].serviceId],
      ["007", "1e3", "0x10"],
    );
  });

  it("refuses YAML aliases without expanding them, so an alias bomb costs nothing", () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 20; level++) {
      bomb.push(
        `${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + level)}`)
          .join(",")}]`,
      );
    }
    bomb.push("locations:", "  - *t");
    const problems = problemsOf(bomb.join("\n"), "yaml");
    assert.ok(problems.some((problem) => /unknown top-level key/.test(problem.message)));
    assert.ok(
      problems.some(
        (problem) => problem.path === "locations[0]" && /aliases are not supported/.test(problem.message),
      ),
    );
  });

  for (const [format, text, message] of [
    ["yaml", "locations:\n  - customerId: a\n    customerId: b\n", /Map keys must be unique/],
    [
      "json",
      '{"locations": [{"customerId": "a", "customerId": "b", "locationId": "l", "serviceId": "s"}]}',
      /duplicate key/,
    ],
  ] as const) {
    it(`rejects duplicate keys in ${format}`, () => {
      assert.ok(problemsOf(text, format).some((problem) => message.test(problem.message)));
    });
  }

  for (const [format, text] of [
    ["yaml", ""],
    ["yaml", "# nothing but a comment\n"],
    ["json", "  "],
    ["csv", "\n"],
  ] as const) {
    it(`refuses an empty ${format} file rather than declaring no locations (${JSON.stringify(text)})`, () => {
      assert.equal(problemsOf(text, format)[0].code, "empty-file");
    });
  }

  it("refuses a CSV header with no rows, which looks more like a failed CRM export than an empty fleet", () => {
    assert.equal(problemsOf("customerId,locationId,serviceId\r\n\r\n", "csv")[0].code, "no-locations");
  });

  for (const [format, text] of [
    ["yaml", "locations: []\n"],
    ["json", '{"locations": []}'],
  ] as const) {
    it(`accepts a deliberately empty fleet in ${format}`, () => {
      assert.deepEqual(parseFleet(text, { format }).entries, []);
    });
  }

  it("reports a JSON syntax error on its line", () => {
    const problems = problemsOf('{\n  "locations": [\n    {"customerId": "c",}\n  ]\n}', "json");
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 3);
    assert.match(problems[0].message, /invalid JSON/);
  });

  for (const [mistake, text, line, message] of [
    ["a trailing comma", '{"locations": [\n  {"customerId": "c"},\n]}', 3, /no trailing comma, remove it/],
    ["a comment", '{\n  // our fleet\n  "locations": []\n}', 2, /JSON has no comments/],
    ["single quotes", "[\n  {'customerId': 'c'}\n]", 2, /unexpected "'customerId'".*double quotes/],
    [
      "a missing comma",
      '[\n  {"customerId": "c"}\n  {"customerId": "d"}\n]',
      3,
      /expected "," but found "{"/,
    ],
    ["a line break inside a string", '[{"customerId": "c\nd"}]', 1, /unterminated string.*\\n/],
    ["NaN", '[{"customerId": "c", "serviceId": NaN}]', 1, /unexpected "NaN"/],
  ] as const) {
    it(`says what is wrong with ${mistake} in JSON, on its line`, () => {
      const problems = problemsOf(text, "json");
      assert.deepEqual(
        problems.map((problem) => [problem.line, problem.code]),
        [[line, "invalid-json"]],
      );
      assert.match(problems[0].message, message);
    });
  }

  it("rejects JSON numbers as ids instead of guessing their text", () => {
    const problems = problemsOf('[{"customerId": "c", "locationId": 42, "serviceId": "s"}]', "json");
    assert.match(problems[0].message, /write it in quotes \("42"\)/);
  });

  it("limits how deeply JSON may nest", () => {
    assert.match(problemsOf("[".repeat(100_000), "json")[0].message, /nested deeper/);
  });

  it("refuses a file larger than the limit before reading it", () => {
    const directory = mkdtempSync(join(tmpdir(), "fleet-"));
    const path = join(directory, "big.csv");
    writeFileSync(path, "customerId,locationId,serviceId\n" + "c,l,s\n".repeat(100));
    assert.throws(
      () => loadFleet(path, { maxFileBytes: 100 }),
      (error: FleetFileError) => {
        assert.ok(error instanceof FleetFileError);
        assert.match(error.message, /more than the 100 accepted/);
        return true;
      },
    );
  });

  for (const [name, bytes, message] of [
    ["fleet.txt", Buffer.from("x"), /names no fleet format/],
    ["latin1.csv", Buffer.from([0x63, 0x2c, 0xe9, 0x0a]), /not valid UTF-8/],
    ["missing.yaml", undefined, /no such file/],
  ] as const) {
    it(`explains why ${name} cannot be loaded`, () => {
      const directory = mkdtempSync(join(tmpdir(), "fleet-"));
      const path = join(directory, name);
      if (bytes !== undefined) writeFileSync(path, bytes);
      assert.throws(
        () => loadFleet(path),
        (error: FleetFileError) => {
          assert.ok(error instanceof FleetFileError);
          assert.match(error.message, message);
          assert.ok(error.hint.length > 0);
          return true;
        },
      );
    });
  }

  it("refuses UTF-16 text with a hint to save as UTF-8", () => {
    const directory = mkdtempSync(join(tmpdir(), "fleet-"));
    const path = join(directory, "Export.CSV");
    const text = "customerId\tlocationId\tserviceId\r\nc\tl\tS-1\r\n";
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    assert.throws(() => loadFleet(path), /UTF-16 .*Save it as UTF-8/);
  });

  it("picks the format from the extension in any case", () => {
    const directory = mkdtempSync(join(tmpdir(), "fleet-"));
    const path = join(directory, "Export.CSV");
    writeFileSync(path, "customerId\tlocationId\tserviceId\r\nc\tl\tS-1\r\n");
    const fleet = loadFleet(path);
    assert.deepEqual([fleet.format, fleet.file, fleet.entries[0].serviceId], ["csv", path, "S-1"]);
  });

  for (const [format, text] of [
    ["yaml", "locations:\n  - {customerId: c, locationId: l, serviceId: s, profile: ''}\n"],
    ["json", '[{"customerId": "c", "locationId": "l", "serviceId": "s", "profile": ""}]'],
  ] as const) {
    it(`rejects an explicitly empty profile in ${format}: leave the field out for the default`, () => {
      assert.match(problemsOf(text, format)[0].message, /must be "auto" or "smallbusiness"/);
    });
  }

  it("rejects a percent-encoded id rather than guessing what it stands for", () => {
    const problems = problemsOf("customerId,locationId,serviceId\nc,a%2Fb,s\n", "csv");
    assert.match(problems[0].message, /must not contain '%'/);
  });

  it("rejects ids and serviceIds holding half of a surrogate pair, which would collide once sent", () => {
    // "a\ud800" and "a\ud801" both become "a\ufffd" in UTF-8: one location name, one URL, two entries.
    const problems = problemsOf(
      '[{"customerId": "c", "locationId": "a\\ud800", "serviceId": "s"},\n' +
        ' {"customerId": "c", "locationId": "a\\ud801", "serviceId": "s\\udc00"}]',
      "json",
    );
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.path]),
      [
        [1, "[0].locationId"],
        [2, "[1].locationId"],
        [2, "[1].serviceId"],
      ],
    );
    assert.match(problems[0].message, /valid Unicode/);
    assert.deepEqual(
      parseFleet('[{"customerId": "c", "locationId": "a", "serviceId": "s\\ud83d\\ude00"}]', {
        format: "json",
      }).entries.map((entry) => entry.serviceId),
      ["s😀"],
    );
  });

  it("rejects typed YAML scalars such as !!binary", () => {
    const problems = problemsOf(
      "locations:\n  - {customerId: c, locationId: l, serviceId: !!binary aGk=}\n",
      "yaml",
    );
    assert.match(problems[0].message, /YAML tags/);
  });

  it("loads the repository's default fleet.yaml: 50 locations, both profiles", () => {
    const fleet = loadFleet(join(__dirname, "..", "..", "fleet.yaml"));
    assert.equal(fleet.entries.length, 50);
    assert.ok(fleet.entries.some((entry) => entry.profile === "auto"));
    assert.ok(fleet.entries.some((entry) => entry.profile === "smallbusiness"));
  });
});
