// The client behind a proxy: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), through a local proxy that
// counts what it tunnels and forwards. Plume's hosts are made-up `.test` names that only the proxy can map to
// the local servers, so a request that skipped the proxy could not succeed.
import assert from "node:assert/strict";
import dns from "node:dns/promises";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  PlumeClient,
  PlumeNetworkError,
  PlumeProxyError,
  type PlumeAuth,
  type PlumeClientOptions,
} from "../../provider/client";
import { startSimulator, type RunningSimulator } from "../../simulator";
import { startCountingProxy, type CountingProxy } from "./countingProxy";
import { rejection } from "./rejection";
import { sampleLocation } from "./scriptedServer";

const fixtures = path.join(__dirname, "fixtures");
// A self-signed certificate for api.plume.test and sso.plume.test, valid for 100 years, made with:
// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
//   -subj "/CN=pulumi-plume test proxy target" -addext "subjectAltName=DNS:api.plume.test,DNS:sso.plume.test" \
//   -addext "basicConstraints=critical,CA:TRUE" -keyout plume-test-key.pem -out plume-test-cert.pem
const cert = fs.readFileSync(path.join(fixtures, "plume-test-cert.pem"), "utf8");
const key = fs.readFileSync(path.join(fixtures, "plume-test-key.pem"), "utf8");

const API = "https://api.plume.test";
const TOKEN_URL = "https://sso.plume.test/oauth2/c/v1/token";
const fast = { retryBaseDelayMs: 1, retryMaxDelayMs: 5, maxRequestsPerSecond: 1000, maxConcurrency: 50 };
const PROXY_VARIABLES = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
  "ALL_PROXY",
  "all_proxy",
  "NO_PROXY",
  "no_proxy",
];

/**
 * A client built while exactly `variables` are set among the proxy variables. The environment is put back
 * before the client sends anything: it reads the variables once, when it is built.
 */
function clientIn(variables: Record<string, string>, options: Partial<PlumeClientOptions> = {}): PlumeClient {
  const saved = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
  for (const name of PROXY_VARIABLES) delete process.env[name];
  Object.assign(process.env, variables);
  try {
    return new PlumeClient({
      apiUrl: API,
      auth: { kind: "token", token: "given-token-0123456789" },
      caCertificate: cert,
      ...fast,
      ...options,
    });
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

let secretCounter = 0;
/** OAuth against `tokenUrl`; a distinct secret per call keeps the process-wide token cache out of the way. */
function oauthAt(tokenUrl: string): PlumeAuth {
  return {
    kind: "oauth",
    tokenUrl,
    clientId: "id",
    clientSecret: `secret-${++secretCounter}`,
    partnerId: "p",
  };
}

/** Plume over TLS on 127.0.0.1 (certificate for api.plume.test and sso.plume.test): tokens and locations. */
async function startTlsPlume(): Promise<{ port: number; hosts: string[]; close(): Promise<void> }> {
  const hosts: string[] = [];
  const server = https.createServer({ cert, key }, (req, res) => {
    hosts.push(req.headers.host ?? "");
    const body = req.url?.startsWith("/oauth2/")
      ? { token_type: "Bearer", expires_in: 600, access_token: "access-token-0123456789" }
      : sampleLocation();
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hosts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("the Plume client behind a proxy", () => {
  let plume: Awaited<ReturnType<typeof startTlsPlume>>;
  let proxies: CountingProxy[] = [];
  /** A proxy that maps the made-up Plume hosts to the local TLS server. */
  async function proxy(options: Parameters<typeof startCountingProxy>[0] = {}): Promise<CountingProxy> {
    const local = `127.0.0.1:${plume.port}`;
    const started = await startCountingProxy({
      routes: { "api.plume.test:443": local, "sso.plume.test:443": local },
      ...options,
    });
    proxies.push(started);
    return started;
  }

  before(async () => {
    plume = await startTlsPlume();
  });
  after(() => plume.close());
  afterEach(async () => {
    await Promise.all(proxies.map((started) => started.close()));
    proxies = [];
  });

  describe("tunnels https:// through CONNECT", () => {
    for (const variable of ["HTTPS_PROXY", "https_proxy"]) {
      it(`sends API calls through the proxy named by ${variable}, reusing one tunnel`, async () => {
        const counting = await proxy();
        const client = clientIn({ [variable]: counting.url });
        await client.getLocation("c1", "l1");
        await client.getLocation("c1", "l2");
        assert.deepEqual([...counting.connects], [["api.plume.test:443", 1]]);
        assert.equal(counting.forwarded.size, 0);
      });
    }

    it("fetches the OAuth token through the proxy too, with its own tunnel", async () => {
      const counting = await proxy();
      const client = clientIn({ HTTPS_PROXY: counting.url }, { auth: oauthAt(TOKEN_URL) });
      const seenBefore = plume.hosts.length;
      await client.getLocation("c1", "l1");
      assert.equal(counting.connects.get("sso.plume.test:443"), 1);
      assert.equal(counting.connects.get("api.plume.test:443"), 1);
      assert.deepEqual(plume.hosts.slice(seenBefore), ["sso.plume.test", "api.plume.test"]);
    });

    it("verifies Plume's certificate inside the tunnel: without caCertificate it is refused as TLS", async () => {
      const counting = await proxy();
      const client = clientIn({ HTTPS_PROXY: counting.url }, { caCertificate: undefined });
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeNetworkError);
      assert.ok(!(error instanceof PlumeProxyError), "the proxy did its part: the certificate is Plume's");
      assert.match(error.hint, /caCertificate/);
      assert.equal(counting.connects.get("api.plume.test:443"), 1);
    });

    it("reads a proxy given without a scheme as http://, as curl does", async () => {
      const counting = await proxy();
      const client = clientIn({ HTTPS_PROXY: counting.address });
      await client.getLocation("c1", "l1");
      assert.equal(counting.connects.get("api.plume.test:443"), 1);
    });

    it("sends the proxy URL's user and password as Proxy-Authorization", async () => {
      const counting = await proxy({ credentials: "squid-user:pr0xy pa55" });
      const withCredentials = counting.url.replace("://", "://squid-user:pr0xy%20pa55@");
      const client = clientIn({ HTTPS_PROXY: withCredentials });
      await client.getLocation("c1", "l1");
      assert.deepEqual(counting.proxyCredentialsSeen, ["squid-user:pr0xy pa55"]);
    });

    it("reads the environment once: a variable changed after the client is built reroutes nothing", async () => {
      const counting = await proxy();
      const client = clientIn({ HTTPS_PROXY: counting.url });
      const saved = process.env.NO_PROXY;
      process.env.NO_PROXY = "*";
      try {
        await client.getLocation("c1", "l1");
      } finally {
        if (saved === undefined) delete process.env.NO_PROXY;
        else process.env.NO_PROXY = saved;
      }
      assert.equal(counting.connects.get("api.plume.test:443"), 1);
    });
  });

  describe("forwards http:// as absolute-URI requests", () => {
    let sim: RunningSimulator;
    beforeEach(async () => {
      sim = await startSimulator();
    });
    afterEach(() => sim.close());

    for (const variable of ["HTTP_PROXY", "http_proxy"]) {
      it(`sends the token request and API calls to the simulator through ${variable}`, async () => {
        const target = `api.plume.test:${sim.port}`;
        const counting = await startCountingProxy({ routes: { [target]: `127.0.0.1:${sim.port}` } });
        proxies.push(counting);
        const customer = sim.state.generate({ customers: 1, locationsPerCustomer: 1 }).customers[0];
        const { clientId, clientSecret, partnerId } = sim.credentials;
        const client = clientIn(
          { [variable]: counting.url },
          {
            apiUrl: `http://${target}`,
            allowInsecureHttp: true,
            auth: {
              kind: "oauth",
              tokenUrl: `http://${target}${new URL(sim.tokenUrl).pathname}`,
              clientId,
              clientSecret,
              partnerId,
            },
          },
        );
        const location = await client.getLocation(customer.id, customer.locationIds[0]);
        assert.equal(location.id, customer.locationIds[0]);
        assert.deepEqual([...counting.forwarded], [[target, 2]]);
        assert.equal(counting.connects.size, 0);
        assert.equal(sim.counters().tokenRequests, 1);
      });
    }

    it("never sends loopback hosts, such as the simulator at 127.0.0.1, through a proxy", async () => {
      const counting = await proxy();
      const customer = sim.state.generate({ customers: 1, locationsPerCustomer: 1 }).customers[0];
      const { clientId, clientSecret, partnerId } = sim.credentials;
      const client = clientIn(
        { HTTP_PROXY: counting.url, HTTPS_PROXY: counting.url, ALL_PROXY: counting.url },
        {
          apiUrl: sim.url,
          auth: { kind: "oauth", tokenUrl: sim.tokenUrl, clientId, clientSecret, partnerId },
        },
      );
      await client.getLocation(customer.id, customer.locationIds[0]);
      assert.equal(counting.total(), 0);
      assert.equal(sim.counters().tokenRequests, 1);
    });
  });

  describe("NO_PROXY", () => {
    // The machine's own name: not loopback by name, so only NO_PROXY can exempt it.
    let ownName: string;
    let tokenServer: http.Server;
    let tokenRequests = 0;
    before(async function () {
      ownName = os.hostname().toLowerCase();
      let address: string;
      try {
        address = (await dns.lookup(ownName, { family: 4 })).address;
      } catch {
        this.skip();
      }
      tokenServer = http.createServer((_, res) => {
        tokenRequests++;
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ token_type: "Bearer", expires_in: 600, access_token: "access-token-abc" }));
      });
      await new Promise<void>((resolve) => tokenServer.listen(0, address, resolve));
    });
    after(async () => {
      tokenServer?.closeAllConnections();
      await new Promise((resolve) => (tokenServer ? tokenServer.close(resolve) : resolve(undefined)));
    });

    for (const variable of ["NO_PROXY", "no_proxy"]) {
      it(`${variable} exempts the token host while API calls still go through the proxy`, async () => {
        const counting = await proxy();
        const tokenUrl = `http://${ownName}:${(tokenServer.address() as AddressInfo).port}/oauth2/c/v1/token`;
        const before = tokenRequests;
        const client = clientIn(
          { HTTPS_PROXY: counting.url, HTTP_PROXY: counting.url, [variable]: `example.org, ${ownName}` },
          { auth: oauthAt(tokenUrl), allowInsecureHttp: true },
        );
        await client.getLocation("c1", "l1");
        assert.equal(tokenRequests - before, 1);
        assert.equal(counting.forwarded.size, 0);
        assert.deepEqual([...counting.connects], [["api.plume.test:443", 1]]);
      });
    }
  });

  describe("failures at the proxy", () => {
    const SECRETS = /squid-user|pr0xy-pa55/;

    for (const scheme of ["https", "http"] as const) {
      it(`reports a 407 on ${scheme}:// as the proxy's, naming it but never its credentials`, async () => {
        const counting = await proxy({ credentials: "someone:else" });
        const lines: string[] = [];
        const withCredentials = counting.url.replace("://", "://squid-user:pr0xy-pa55@");
        const client = clientIn(
          { HTTPS_PROXY: withCredentials, HTTP_PROXY: withCredentials },
          scheme === "https"
            ? { debug: true, logger: (line) => lines.push(line) }
            : {
                debug: true,
                logger: (line) => lines.push(line),
                apiUrl: "http://api.plume.test",
                allowInsecureHttp: true,
              },
        );
        const error = await rejection(client.getLocation("c1", "l1"));
        assert.ok(error instanceof PlumeProxyError, String(error));
        assert.equal(error.proxyStatus, 407);
        assert.equal(error.proxy, counting.address);
        assert.match(error.message, new RegExp(`proxy ${counting.address} requires authentication`));
        assert.match(error.hint, /HTTPS?_PROXY/);
        assert.match(error.hint, /NO_PROXY/);
        assert.equal(counting.total(), 1, "a refusal is not retried");
        assert.ok(
          lines.some((line) => line.includes(`via proxy ${counting.url}`)),
          lines.join("\n"),
        );
        for (const text of [error.message, error.hint, String(error.cause ?? ""), ...lines]) {
          assert.doesNotMatch(text, SECRETS);
        }
      });
    }

    it("reports a CONNECT refused with 403 as the proxy's, at once, not as Plume's firewall", async () => {
      const counting = await proxy({ refuseConnectWith: 403 });
      const lines: string[] = [];
      const client = clientIn(
        { HTTPS_PROXY: counting.url },
        { debug: true, logger: (line) => lines.push(line) },
      );
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeProxyError, String(error));
      assert.equal(error.proxyStatus, 403);
      assert.match(error.message, /refused to connect to api\.plume\.test:443/);
      assert.match(error.hint, /HTTPS_PROXY and NO_PROXY/);
      assert.equal(counting.connects.get("api.plume.test:443"), 1);
      assert.ok(!lines.some((line) => line.includes("holding every request")), lines.join("\n"));
    });

    it("retries a CONNECT answered 502, then names the proxy that could not reach Plume", async () => {
      const counting = await proxy({ refuseConnectWith: 502 });
      const client = clientIn({ HTTPS_PROXY: counting.url }, { maxRetries: 2 });
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeProxyError, String(error));
      assert.equal(error.proxyStatus, 502);
      assert.match(error.message, /could not connect to api\.plume\.test:443/);
      assert.equal(counting.connects.get("api.plume.test:443"), 3);
    });

    it("names a proxy that accepts no connections and says to check HTTPS_PROXY and NO_PROXY", async () => {
      const closed = await startCountingProxy();
      await closed.close();
      const lines: string[] = [];
      const client = clientIn(
        { https_proxy: closed.url.replace("://", "://squid-user:pr0xy-pa55@") },
        { maxRetries: 1, debug: true, logger: (line) => lines.push(line) },
      );
      const error = await rejection(client.getLocation("c1", "l1"));
      assert.ok(error instanceof PlumeProxyError, String(error));
      assert.equal(error.code, "ECONNREFUSED");
      assert.match(error.message, new RegExp(`Could not reach the proxy ${closed.address}`));
      assert.match(error.hint, /https_proxy and NO_PROXY/);
      assert.doesNotMatch(error.message, SECRETS);
      assert.equal(lines.filter((line) => / -> ECONNREFUSED attempt=\d/.test(line)).length, 2);
    });

    for (const value of [
      "socks5://squid-user:pr0xy-pa55@127.0.0.1:1080",
      "http://squid-user:pr0xy-pa55@[nonsense",
    ]) {
      it(`refuses an unusable proxy URL (${value.split(":")[0]}) when the client is built, without showing it`, () => {
        assert.throws(
          () => clientIn({ HTTPS_PROXY: value }),
          (error: unknown) =>
            error instanceof PlumeProxyError &&
            error.variable === "HTTPS_PROXY" &&
            /http:\/\/proxy\.example:3128/.test(error.hint) &&
            !SECRETS.test(error.message),
        );
      });
    }
  });
});
