// The message of a failed operation on a location: the location, the client's message and hint, and the
// note about state-stored settings only where those settings can be the cause.
import assert from "node:assert/strict";
import { PlumeNetworkError, PlumeProxyError } from "../../provider/client";
import { PlumeLocationOperationError } from "../../provider/core/locationOperationError";

const unreachable = () =>
  new PlumeNetworkError("Could not reach Plume at api.example:443", {
    hint: "Check apiUrl.",
    code: "ECONNREFUSED",
  });
const proxyRefused = () =>
  new PlumeProxyError("The proxy refused the connection", {
    hint: "Check HTTPS_PROXY and NO_PROXY.",
    proxy: "proxy.example:3128",
    variable: "HTTPS_PROXY",
    proxyStatus: 407,
  });

describe("the error of a failed location operation", () => {
  it("names the location and carries the client's message and hint", () => {
    const error = new PlumeLocationOperationError("update", "c1/l1", unreachable());
    assert.match(
      error.message,
      /^Could not update PlumeLocationService for location c1\/l1: Could not reach Plume at api\.example:443/,
    );
    assert.equal(error.hint, "Check apiUrl.");
  });

  it("adds the stored-settings note to a read or delete that could not reach Plume", () => {
    for (const operation of ["read", "delete"]) {
      assert.match(
        new PlumeLocationOperationError(operation, "c1/l1", unreachable()).message,
        /Note: .*--run-program/,
      );
    }
  });

  it("adds no stored-settings note to a create or update, which use the config as it is now", () => {
    assert.doesNotMatch(new PlumeLocationOperationError("create", "c1/l1", unreachable()).message, /Note:/);
  });

  it("adds no stored-settings note to a proxy failure, since the proxy comes from this run's environment", () => {
    assert.doesNotMatch(new PlumeLocationOperationError("read", "c1/l1", proxyRefused()).message, /Note:/);
  });
});
