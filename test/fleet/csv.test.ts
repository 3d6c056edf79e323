import assert from "node:assert/strict";
import { type FleetProblem, FleetValidationError, parseFleet } from "../../provider/fleet";
import { CsvSyntaxError, parseCsvRecords } from "../../provider/fleet/csvFormat";

function csvProblems(text: string): FleetProblem[] {
  try {
    parseFleet(text, { format: "csv", fileName: "crm.csv" });
  } catch (error) {
    assert.ok(error instanceof FleetValidationError);
    return [...error.problems];
  }
  assert.fail("expected the CSV to be rejected");
}

describe("the CSV record parser", () => {
  for (const [label, text, records] of [
    [
      "plain fields",
      "a,b\nc,d\n",
      [
        [1, ["a", "b"]],
        [2, ["c", "d"]],
      ],
    ],
    [
      "no final line break",
      "a,b\nc,d",
      [
        [1, ["a", "b"]],
        [2, ["c", "d"]],
      ],
    ],
    ["an empty last field", "a,\n", [[1, ["a", ""]]]],
    ["quoted commas and quotes", 'x,"a,""b"""\n', [[1, ["x", 'a,"b"']]]],
    [
      "a quoted line break, counted for the next record",
      '"a\r\nb",c\r\nd,e\r\n',
      [
        [1, ["a\r\nb", "c"]],
        [3, ["d", "e"]],
      ],
    ],
    [
      "lone CR line ends",
      "a\rb\r",
      [
        [1, ["a"]],
        [2, ["b"]],
      ],
    ],
    ["a quote inside an unquoted field, kept as text", 'a"b,c\n', [[1, ['a"b', "c"]]]],
    [
      "text after a closing quote, kept as text in a file that has a quote inside an unquoted field",
      'a"b,"c"d\n',
      [[1, ['a"b', '"c"d']]],
    ],
  ] as const) {
    it(`splits ${label}`, () => {
      assert.deepEqual(
        parseCsvRecords(text, ",").map((record) => [record.line, record.fields]),
        records,
      );
    });
  }

  it("names the line where a quoted field that never closes began", () => {
    assert.throws(
      () => parseCsvRecords('a,b\nc,"d\ne\n', ","),
      (error: CsvSyntaxError) => {
        assert.equal(error.line, 2);
        assert.match(error.message, /never closed/);
        return true;
      },
    );
  });

  it("names the line of a record with an unclosed quote after CRLF line breaks inside quotes", () => {
    assert.throws(
      () => parseCsvRecords('h,i\r\n"a\r\nb",c\r\nd,"e\r\n', ","),
      (error: CsvSyntaxError) => error.line === 4 && /never closed/.test(error.message),
    );
  });

  it("rejects text after a closing quote", () => {
    assert.throws(() => parseCsvRecords('"a"b,c\n', ","), /after a closing quote/);
  });
});

describe("a CSV fleet file", () => {
  it("reads a CRM export with its own column names, extra columns and semicolons", () => {
    const text = [
      "Account Name;Customer ID;Location_ID;SERVICE-ID;Product;Street",
      'Acme;c1;l1;"SVC;1";WorkPass;"1 Main St"',
      'Bob;c2;l2;SVC-2;HomePass;"2 ""Elm"" Rd\nApt 3"',
      "",
      ";;;;;",
      "",
    ].join("\r\n");
    const fleet = parseFleet(text, { format: "csv" });
    assert.deepEqual(
      fleet.entries.map((entry) => [
        entry.line,
        entry.customerId,
        entry.locationId,
        entry.serviceId,
        entry.profile,
      ]),
      [
        [2, "c1", "l1", "SVC;1", "smallbusiness"],
        [3, "c2", "l2", "SVC-2", "auto"],
      ],
    );
  });

  for (const header of [
    "customerId",
    "customer_id",
    "Customer ID",
    "CUSTOMER-ID",
    "Plume Customer ID",
    "customer",
  ]) {
    it(`accepts the header ${JSON.stringify(header)} for customerId`, () => {
      const fleet = parseFleet(`${header},locationId,serviceId\nc,l,s\n`, { format: "csv" });
      assert.equal(fleet.entries[0].customerId, "c");
    });
  }

  it("follows an Excel sep= line and keeps line numbers true to the file", () => {
    const fleet = parseFleet("sep=|\ncustomerId|locationId|serviceId\nc|l|s\n", { format: "csv" });
    assert.equal(fleet.entries[0].line, 3);
  });

  it("names every missing column with the accepted headers", () => {
    const problems = csvProblems("Customer,Name\nc,x\n");
    assert.deepEqual(
      problems.map((problem) => [problem.path, problem.code]),
      [
        ["locationId", "missing-column"],
        ["serviceId", "missing-column"],
      ],
    );
    assert.match(problems[0].message, /location, plumelocationid/);
  });

  it("rejects two columns holding the same field", () => {
    assert.equal(csvProblems("customerId,Customer ID,locationId,serviceId\n")[0].code, "duplicate-column");
  });

  it("reports a row with the wrong number of fields and the bad cells of other rows, by column header", () => {
    const problems = csvProblems("Customer ID,Location ID,Service ID\nc1,l1\nc2,l/2,s2\nc3,l3, s3\n");
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.path, problem.code]),
      [
        [2, "", "field-count"],
        [3, "Location ID", "path-separator"],
        [4, "Service ID", "whitespace"],
      ],
    );
  });

  it("reports an empty row between locations", () => {
    const problems = csvProblems("customerId,locationId,serviceId\nc,l,s\n,,\nc,m,t\n");
    assert.deepEqual([problems[0].line, problems[0].code], [3, "blank-row"]);
  });

  it("reports an unclosed quote on its line", () => {
    const problems = csvProblems('customerId,locationId,serviceId\nc,l,"s\n');
    assert.deepEqual(
      [problems[0].line, problems[0].message],
      [2, "invalid CSV: a quoted field is never closed"],
    );
  });
});
