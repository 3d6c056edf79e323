import assert from "node:assert/strict";
import {
  DEFAULT_CREDENTIALS,
  resolveSimulatorOptions,
  SimulatorOptionsError,
  startSimulator,
  type SimulatorOptions,
} from "../../simulator";

describe("simulator: options", () => {
  it("applies the documented defaults", () => {
    const resolved = resolveSimulatorOptions();
    assert.equal(resolved.port, 0);
    assert.equal(resolved.host, "127.0.0.1");
    assert.equal(resolved.cloudId, "sim-cloud");
    assert.equal(resolved.tokenTtlSeconds, 600);
    assert.equal(resolved.loginTtlSeconds, 1209600);
    assert.deepEqual(resolved.firewall, { limit: 2000, windowMs: 300000, countRejected: true });
    assert.deepEqual(resolved.latency, { fixedMs: 0, jitterMs: 0 });
    assert.equal(resolved.random5xxRate, 0);
    assert.equal(resolved.requestLogLimit, 10000);
    assert.deepEqual(resolved.credentials, {
      partnerId: "sim-partner",
      clientId: "sim-client",
      clientSecret: "sim-secret",
      email: "admin@sim.local",
      password: "sim-password",
    });
    assert.deepEqual(resolved.credentials, DEFAULT_CREDENTIALS);
  });

  it("reports every problem at once", () => {
    const bad = {
      port: 70000,
      host: "",
      tokenTtlSeconds: 0,
      firewall: { limit: 0, windowMs: 1.5, countRejected: "yes" },
      latency: { fixedMs: -1 },
      random5xxRate: 2,
      credentials: { clientSecret: "", apiKey: "x" },
      oauthClients: [{ clientId: "a", clientSecret: "b" }],
      now: 5,
    } as unknown as SimulatorOptions;
    assert.throws(
      () => resolveSimulatorOptions(bad),
      (error: SimulatorOptionsError) => {
        assert.ok(error instanceof SimulatorOptionsError);
        assert.deepEqual(error.problems, [
          "port must be an integer from 0 to 65535, got 70000",
          'host must be a non-empty string, got ""',
          "tokenTtlSeconds must be an integer from 1 to 31536000, got 0",
          "firewall.limit must be an integer from 1 to 9007199254740991, got 0",
          "firewall.windowMs must be an integer from 1 to 9007199254740991, got 1.5",
          "latency.fixedMs must be an integer from 0 to 600000, got -1",
          "random5xxRate must be a number from 0 to 1, got 2",
          "firewall.countRejected must be a boolean",
          'credentials.clientSecret must be a non-empty string, got ""',
          "credentials.apiKey is not a credential; use partnerId, clientId, clientSecret, email, password",
          "oauthClients[0].partnerId is required",
          "now must be a function returning epoch milliseconds",
        ]);
        assert.match(error.message, /^Invalid simulator options:\n {2}- port/);
        return true;
      },
    );
  });

  it("never echoes a secret given with the wrong type", () => {
    const bad = {
      credentials: { password: 31415926535 },
      oauthClients: [{ clientId: "a", clientSecret: ["hidden-secret-value"], partnerId: "p" }],
      adminUsers: [{ email: "a@b.c", password: { value: "hidden-password-value" }, partnerId: "p" }],
    } as unknown as SimulatorOptions;
    assert.throws(
      () => resolveSimulatorOptions(bad),
      (error: SimulatorOptionsError) => {
        assert.deepEqual(error.problems, [
          "credentials.password must be a non-empty string, got number",
          "oauthClients[0].clientSecret must be a non-empty string, got object",
          "adminUsers[0].password must be a non-empty string, got object",
        ]);
        for (const secret of ["31415926535", "hidden-secret-value", "hidden-password-value"])
          assert.ok(!error.message.includes(secret), `${secret} leaked`);
        return true;
      },
    );
  });

  it("serves the overridden credentials", async () => {
    const sim = await startSimulator({
      credentials: { clientSecret: "s3cret", partnerId: "isp-1" },
      cloudId: "aus9",
    });
    try {
      assert.equal(sim.credentials.clientSecret, "s3cret");
      assert.equal(sim.credentials.clientId, "sim-client");
      assert.match(sim.tokenUrl, /\/oauth2\/aus9\/v1\/token$/);
      assert.throws(() => ((sim.credentials as { clientId: string }).clientId = "x"));
    } finally {
      await sim.close();
    }
  });

  it("fails to start on a port in use, with the system's error", async () => {
    const first = await startSimulator();
    try {
      await assert.rejects(startSimulator({ port: first.port }), /EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
