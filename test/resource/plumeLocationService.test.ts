// The resource class under pulumi.runtime.setMocks: type token, inputs sent, outputs declared.
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { PlumeLocationService } from "../../provider";
import { DYNAMIC_PROVIDER_SOURCE } from "../../provider/resource/shim";

interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

describe("the PlumeLocationService class", function () {
  const registrations: Registration[] = [];

  before(async function () {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registrations.push({ type: args.type, name: args.name, inputs: args.inputs });
          return {
            id: `${args.inputs.customerId}/${args.inputs.locationId}`,
            state: {
              customerId: args.inputs.customerId,
              locationId: args.inputs.locationId,
              serviceId: args.inputs.serviceId,
              profile: args.inputs.profile ?? "auto",
              locationName: "Home",
              createdAt: "2024-05-01T10:00:00.000Z",
            },
          };
        },
        call: () => ({}),
      },
      "pulumi-plume",
      "test",
      false,
    );
  });

  it("registers with the type token pulumi-nodejs:dynamic/plume:PlumeLocationService", async function () {
    const resource = new PlumeLocationService("home-1", {
      customerId: "c1",
      locationId: "l1",
      serviceId: "S1",
    });
    assert.equal(
      await valueOf(resource.urn),
      "urn:pulumi:test::pulumi-plume::pulumi-nodejs:dynamic/plume:PlumeLocationService::home-1",
    );
    const registration = registrations.find((entry) => entry.name === "home-1");
    assert.equal(registration?.type, "pulumi-nodejs:dynamic/plume:PlumeLocationService");
  });

  it("sends the inputs and the one-line provider text, and no profile when none is given", async function () {
    const resource = new PlumeLocationService("home-2", {
      customerId: "c1",
      locationId: "l2",
      serviceId: pulumi.output("S2"),
    });
    await valueOf(resource.id);
    const inputs = registrations.find((entry) => entry.name === "home-2")?.inputs ?? {};
    assert.deepEqual(Object.keys(inputs).sort(), ["__provider", "customerId", "locationId", "serviceId"]);
    assert.equal(inputs.serviceId, "S2");
    assert.equal(inputs.__provider, DYNAMIC_PROVIDER_SOURCE);
  });

  it("exposes the six outputs and the id <customerId>/<locationId>", async function () {
    const resource = new PlumeLocationService("home-3", {
      customerId: "c1",
      locationId: "l3",
      serviceId: "S3",
      profile: "smallbusiness",
    });
    assert.equal(await valueOf(resource.id), "c1/l3");
    assert.deepEqual(
      await Promise.all([
        valueOf(resource.customerId),
        valueOf(resource.locationId),
        valueOf(resource.serviceId),
        valueOf(resource.profile),
        valueOf(resource.locationName),
        valueOf(resource.createdAt),
      ]),
      ["c1", "l3", "S3", "smallbusiness", "Home", "2024-05-01T10:00:00.000Z"],
    );
  });
});
