// check: validation of PlumeLocationService inputs, over tables of cases.
import assert from "node:assert/strict";
import { checkLocationServiceInputs, UNKNOWN_VALUE } from "../../provider/core/schema";
import { formatProblem } from "../../provider/problem";

const valid = {
  customerId: "5f0c1a2b3c4d5e6f7a8b9c0d",
  locationId: "5f0c1a2b3c4d5e6f7a8b9c0e",
  serviceId: "SVC-001",
};

describe("check of PlumeLocationService inputs", function () {
  const accepted: { name: string; news: Record<string, unknown>; inputs: Record<string, unknown> }[] = [
    { name: "fills in profile auto when it is left out", news: valid, inputs: { ...valid, profile: "auto" } },
    {
      name: "keeps profile smallbusiness",
      news: { ...valid, profile: "smallbusiness" },
      inputs: { ...valid, profile: "smallbusiness" },
    },
    {
      name: "reads the product name WorkPass as smallbusiness, as fleet files do",
      news: { ...valid, profile: "WorkPass" },
      inputs: { ...valid, profile: "smallbusiness" },
    },
    {
      name: "reads the guide's spelling 'small business' as smallbusiness",
      news: { ...valid, profile: "small business" },
      inputs: { ...valid, profile: "smallbusiness" },
    },
    {
      name: "reads HomePass in any case as auto",
      news: { ...valid, profile: "HOMEPASS" },
      inputs: { ...valid, profile: "auto" },
    },
    {
      name: "accepts ids of letters, digits, '-', '_' and '.'",
      news: { ...valid, customerId: "Cust_01-a.b", locationId: "5f0c3e1a9b8d7c6e5f4a3b2c" },
      inputs: {
        ...valid,
        customerId: "Cust_01-a.b",
        locationId: "5f0c3e1a9b8d7c6e5f4a3b2c",
        profile: "auto",
      },
    },
    {
      name: "accepts a serviceId with inner spaces and unicode",
      news: { ...valid, serviceId: "Contrat n° 42 – Île" },
      inputs: { ...valid, serviceId: "Contrat n° 42 – Île", profile: "auto" },
    },
    {
      name: "drops properties it does not know",
      news: { ...valid, colour: "blue" },
      inputs: { ...valid, profile: "auto" },
    },
    {
      name: "passes an unknown serviceId through untouched",
      news: { ...valid, serviceId: UNKNOWN_VALUE },
      inputs: { ...valid, serviceId: UNKNOWN_VALUE, profile: "auto" },
    },
    {
      name: "passes an unknown profile through untouched, without a default",
      news: { ...valid, profile: UNKNOWN_VALUE },
      inputs: { ...valid, profile: UNKNOWN_VALUE },
    },
    {
      name: "passes unknown ids through untouched",
      news: { customerId: UNKNOWN_VALUE, locationId: UNKNOWN_VALUE, serviceId: "s" },
      inputs: { customerId: UNKNOWN_VALUE, locationId: UNKNOWN_VALUE, serviceId: "s", profile: "auto" },
    },
  ];
  for (const { name, news, inputs } of accepted) {
    it(name, function () {
      assert.deepEqual(checkLocationServiceInputs(news), { inputs, problems: [] });
    });
  }

  // Each problem as [input, code], and a pattern for its sentence where the wording is what is tested.
  const rejected: {
    name: string;
    news: Record<string, unknown>;
    problems: ([string, string] | [string, string, RegExp])[];
  }[] = [
    {
      name: "rejects a missing customerId",
      news: { ...valid, customerId: undefined },
      problems: [["customerId", "required"]],
    },
    {
      name: "rejects an empty locationId",
      news: { ...valid, locationId: "" },
      problems: [["locationId", "empty"]],
    },
    {
      name: "rejects a numeric customerId",
      news: { ...valid, customerId: 42 },
      problems: [["customerId", "not-a-string"]],
    },
    {
      name: "rejects a locationId with a slash",
      news: { ...valid, locationId: "a/b" },
      problems: [["locationId", "path-separator"]],
    },
    {
      name: "rejects a customerId with a backslash",
      news: { ...valid, customerId: "a\\b" },
      problems: [["customerId", "path-separator"]],
    },
    {
      name: "rejects a locationId of ..",
      news: { ...valid, locationId: ".." },
      problems: [["locationId", "dot-segment"]],
    },
    {
      name: "rejects a customerId of .",
      news: { ...valid, customerId: "." },
      problems: [["customerId", "dot-segment"]],
    },
    {
      name: "rejects a locationId with a control character",
      news: { ...valid, locationId: "a\nb" },
      problems: [["locationId", "control-characters"]],
    },
    {
      name: "rejects a customerId with surrounding spaces",
      news: { ...valid, customerId: " c1" },
      problems: [["customerId", "whitespace"]],
    },
    {
      name: "rejects an overlong locationId",
      news: { ...valid, locationId: "x".repeat(129) },
      problems: [["locationId", "too-long"]],
    },
    {
      name: "rejects a percent-encoded slash in a customerId",
      news: { ...valid, customerId: "a%2Fb" },
      problems: [["customerId", "percent-encoded"]],
    },
    {
      name: "rejects a percent-encoded parent as locationId",
      news: { ...valid, locationId: "%2e%2e" },
      problems: [["locationId", "percent-encoded"]],
    },
    {
      name: "quotes a huge profile only in part",
      news: { ...valid, profile: "x".repeat(100_000) },
      problems: [["profile", "bad-profile", /^profile must be .{0,120}\(100002 characters\)$/]],
    },
    {
      name: "rejects an empty serviceId",
      news: { ...valid, serviceId: "" },
      problems: [["serviceId", "empty"]],
    },
    {
      name: "rejects a missing serviceId",
      news: { ...valid, serviceId: undefined },
      problems: [["serviceId", "required"]],
    },
    {
      name: "rejects a serviceId that is a number",
      news: { ...valid, serviceId: 7 },
      problems: [["serviceId", "not-a-string"]],
    },
    {
      name: "rejects a serviceId with trailing whitespace",
      news: { ...valid, serviceId: "SVC " },
      problems: [["serviceId", "whitespace"]],
    },
    {
      name: "rejects an overlong serviceId",
      news: { ...valid, serviceId: "s".repeat(257) },
      problems: [["serviceId", "too-long"]],
    },
    {
      name: "rejects a serviceId with a tab",
      news: { ...valid, serviceId: "a\tb" },
      problems: [["serviceId", "control-characters"]],
    },
    {
      name: "rejects a profile that names neither product, saying what is allowed",
      news: { ...valid, profile: "smallbusines" },
      problems: [
        ["profile", "bad-profile", /"auto" \(HomePass\) or "smallbusiness" \(WorkPass\), got "smallbusines"/],
      ],
    },
    {
      name: "rejects a locationId Plume could never have issued, such as one with a query string",
      news: { ...valid, locationId: "L1?x=1" },
      problems: [["locationId", "invalid-id", /letters, digits, '-', '_' and '\.'.*contains '\?'/]],
    },
    {
      name: "rejects a locationId with a fragment",
      news: { ...valid, locationId: "L1#frag" },
      problems: [["locationId", "invalid-id", /contains '#'/]],
    },
    {
      name: "rejects a customerId with a space, naming the space",
      news: { ...valid, customerId: "C 1" },
      problems: [["customerId", "invalid-id", /contains a space/]],
    },
    {
      name: "rejects a customerId with an invisible character, naming its code point",
      news: { ...valid, customerId: "abc\u200bdef" },
      problems: [["customerId", "invalid-id", /contains U\+200B/]],
    },
    {
      name: "reports every problem at once",
      news: { customerId: "", locationId: "a/b", profile: "x" },
      problems: [
        ["customerId", "empty"],
        ["locationId", "path-separator"],
        ["serviceId", "required"],
        ["profile", "bad-profile"],
      ],
    },
  ];
  for (const { name, news, problems } of rejected) {
    it(name, function () {
      const result = checkLocationServiceInputs(news);
      assert.deepEqual(
        result.problems.map((problem) => [problem.path, problem.code]),
        problems.map(([path, code]) => [path, code]),
      );
      problems.forEach(([, , sentence], index) => {
        if (sentence) assert.match(formatProblem(result.problems[index]), sentence);
      });
    });
  }

  it("never throws, whatever it is given", function () {
    for (const news of [{}, { customerId: null }, { customerId: {}, locationId: [], serviceId: true }]) {
      assert.ok(checkLocationServiceInputs(news as Record<string, unknown>).problems.length > 0);
    }
  });
});
