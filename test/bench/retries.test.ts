import assert from "node:assert/strict";
import { countRetries, type LoggedRequest } from "../../bench/simulatorView";

function request(method: string, path: string, status: number): LoggedRequest {
  return { at: "2026-01-01T00:00:00.000Z", method, path, status };
}

describe("counting retries in the request log", () => {
  it("counts each attempt that follows a failed attempt of the same call", () => {
    const log = [
      request("PATCH", "/api/Customers/c1/locations/l1", 403),
      request("PATCH", "/api/Customers/c2/locations/l2", 200),
      request("PATCH", "/api/Customers/c1/locations/l1", 503),
      request("PATCH", "/api/Customers/c1/locations/l1", 200),
    ];
    assert.equal(countRetries(log), 2);
  });

  it("does not count a second call after a success, nor a GET after a failed PATCH", () => {
    const log = [
      request("GET", "/api/Customers/c1/locations/l1", 200),
      request("GET", "/api/Customers/c1/locations/l1", 200),
      request("PATCH", "/api/Customers/c1/locations/l1", 0),
      request("GET", "/api/Customers/c1/locations/l1", 200),
    ];
    assert.equal(countRetries(log), 0);
  });
});
