// check: validation of PlumeLocationService inputs, over tables of cases.
import assert from "node:assert/strict";
import { checkLocationServiceInputs, UNKNOWN_VALUE } from "../../provider/core/schema";

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
      assert.deepEqual(checkLocationServiceInputs(news), { inputs, failures: [] });
    });
  }

  const rejected: { name: string; news: Record<string, unknown>; failures: [string, RegExp][] }[] = [
    {
      name: "rejects a missing customerId",
      news: { ...valid, customerId: undefined },
      failures: [["customerId", /required/]],
    },
    {
      name: "rejects an empty locationId",
      news: { ...valid, locationId: "" },
      failures: [["locationId", /empty/]],
    },
    {
      name: "rejects a numeric customerId",
      news: { ...valid, customerId: 42 },
      failures: [["customerId", /string/]],
    },
    {
      name: "rejects a locationId with a slash",
      news: { ...valid, locationId: "a/b" },
      failures: [["locationId", /'\/'/]],
    },
    {
      name: "rejects a customerId with a backslash",
      news: { ...valid, customerId: "a\\b" },
      failures: [["customerId", /'\\'/]],
    },
    {
      name: "rejects a locationId of ..",
      news: { ...valid, locationId: ".." },
      failures: [["locationId", /'\.\.'/]],
    },
    {
      name: "rejects a customerId of .",
      news: { ...valid, customerId: "." },
      failures: [["customerId", /'\.'/]],
    },
    {
      name: "rejects a locationId with a control character",
      news: { ...valid, locationId: "a\nb" },
      failures: [["locationId", /control/]],
    },
    {
      name: "rejects a customerId with surrounding spaces",
      news: { ...valid, customerId: " c1" },
      failures: [["customerId", /whitespace/]],
    },
    {
      name: "rejects an overlong locationId",
      news: { ...valid, locationId: "x".repeat(129) },
      failures: [["locationId", /at most 128/]],
    },
    {
      name: "rejects a percent-encoded slash in a customerId",
      news: { ...valid, customerId: "a%2Fb" },
      failures: [["customerId", /'%'/]],
    },
    {
      name: "rejects a percent-encoded parent as locationId",
      news: { ...valid, locationId: "%2e%2e" },
      failures: [["locationId", /'%'/]],
    },
    {
      name: "quotes a huge profile only in part",
      news: { ...valid, profile: "x".repeat(100_000) },
      failures: [["profile", /^profile must be .{0,120}\(100002 characters\)$/]],
    },
    {
      name: "rejects an empty serviceId",
      news: { ...valid, serviceId: "" },
      failures: [["serviceId", /empty/]],
    },
    {
      name: "rejects a missing serviceId",
      news: { ...valid, serviceId: undefined },
      failures: [["serviceId", /required/]],
    },
    {
      name: "rejects a serviceId that is a number",
      news: { ...valid, serviceId: 7 },
      failures: [["serviceId", /string/]],
    },
    {
      name: "rejects a serviceId with trailing whitespace",
      news: { ...valid, serviceId: "SVC " },
      failures: [["serviceId", /whitespace/]],
    },
    {
      name: "rejects an overlong serviceId",
      news: { ...valid, serviceId: "s".repeat(257) },
      failures: [["serviceId", /at most 256/]],
    },
    {
      name: "rejects a serviceId with a tab",
      news: { ...valid, serviceId: "a\tb" },
      failures: [["serviceId", /control/]],
    },
    {
      name: "rejects a profile that names neither product, saying what is allowed",
      news: { ...valid, profile: "smallbusines" },
      failures: [["profile", /"auto" \(HomePass\) or "smallbusiness" \(WorkPass\), got "smallbusines"/]],
    },
    {
      name: "rejects a locationId Plume could never have issued, such as one with a query string",
      news: { ...valid, locationId: "L1?x=1" },
      failures: [["locationId", /letters, digits, '-', '_' and '\.'.*contains '\?'/]],
    },
    {
      name: "rejects a locationId with a fragment",
      news: { ...valid, locationId: "L1#frag" },
      failures: [["locationId", /contains '#'/]],
    },
    {
      name: "rejects a customerId with a space, naming the space",
      news: { ...valid, customerId: "C 1" },
      failures: [["customerId", /contains a space/]],
    },
    {
      name: "rejects a customerId with an invisible character, naming its code point",
      news: { ...valid, customerId: "abc\u200bdef" },
      failures: [["customerId", /contains U\+200B/]],
    },
    {
      name: "reports every problem at once",
      news: { customerId: "", locationId: "a/b", profile: "x" },
      failures: [
        ["customerId", /empty/],
        ["locationId", /'\/'/],
        ["serviceId", /required/],
        ["profile", /"x"/],
      ],
    },
  ];
  for (const { name, news, failures } of rejected) {
    it(name, function () {
      const result = checkLocationServiceInputs(news);
      assert.deepEqual(
        result.failures.map((failure) => failure.property),
        failures.map(([property]) => property),
      );
      failures.forEach(([, reason], index) => assert.match(result.failures[index].reason, reason));
    });
  }

  it("never throws, whatever it is given", function () {
    for (const news of [{}, { customerId: null }, { customerId: {}, locationId: [], serviceId: true }]) {
      assert.ok(checkLocationServiceInputs(news as Record<string, unknown>).failures.length > 0);
    }
  });
});
