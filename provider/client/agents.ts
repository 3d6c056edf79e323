// Keep-alive HTTP agents, shared by every client of the process with the same TLS settings and proxy. Idle
// keep-alive sockets are unref'd by Node, so they never keep the process alive.
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import tls from "node:tls";
import { createHash } from "node:crypto";
import { HttpProxyAgent } from "http-proxy-agent";
import { HttpsProxyAgent } from "https-proxy-agent";

/** The agents a client sends through. */
export interface Agents {
  httpAgent: http.Agent;
  /** An `https.Agent`, or a proxy agent that tunnels to `https://` targets. */
  httpsAgent: http.Agent;
}

/**
 * An attempt failed at the proxy, before the target was reached: the proxy could not be connected to, or it
 * answered a CONNECT with something other than 200. Raised by the proxy agents; the client turns it into a
 * proxy outcome. Its message never holds the proxy's credentials.
 */
export class ProxyConnectFailure extends Error {
  override name = "ProxyConnectFailure";

  constructor(
    /** Node's error code of the connection to the proxy (`ECONNREFUSED`), when there was one. */
    readonly code: string | undefined,
    /** The proxy's answer to CONNECT (`407`, `403`, `502`), when it answered. */
    readonly status: number | undefined,
  ) {
    super(
      status === undefined
        ? `could not connect to the proxy (${code ?? "no code"})`
        : `proxy answered ${status}`,
    );
  }
}

const agentsByKey = new Map<string, Agents>();

/**
 * Keep-alive agents with TLS verification on, trusting Node's bundled roots plus `caCertificate` (PEM)
 * when given. Shared per distinct CA.
 */
export function processAgents(caCertificate: string | undefined): Agents {
  return shared(["direct", caCertificate], () => ({
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true, ...targetTls(caCertificate) }),
  }));
}

/**
 * Keep-alive agents that send through the proxy at `proxyUrl` (which may hold `user:password@`, sent as
 * `Proxy-Authorization`): `https://` targets through a CONNECT tunnel, with TLS to the target verified as
 * for a direct connection (bundled roots plus `caCertificate`); `http://` targets as absolute-URI requests.
 * Shared per distinct proxy URL and CA.
 */
export function proxiedAgents(proxyUrl: URL, caCertificate: string | undefined): Agents {
  return shared(["proxy", proxyUrl.href, caCertificate], () => ({
    httpAgent: new ForwardingAgent(proxyUrl, caCertificate),
    httpsAgent: new TunnellingAgent(proxyUrl, caCertificate),
  }));
}

function shared(keyParts: (string | undefined)[], create: () => Agents): Agents {
  // Hashed, so that no proxy password sits in a map key.
  const key = createHash("sha256")
    .update(JSON.stringify(keyParts.map((part) => part ?? null)))
    .digest("hex");
  let agents = agentsByKey.get(key);
  if (!agents) {
    agents = create();
    agentsByKey.set(key, agents);
  }
  return agents;
}

/** TLS options for a connection to Plume: verification always on, plus the extra CA when given. */
function targetTls(caCertificate: string | undefined): tls.ConnectionOptions {
  return {
    rejectUnauthorized: true,
    ...(caCertificate === undefined ? {} : { ca: [...tls.rootCertificates, caCertificate] }),
  };
}

/** `https://` targets through a CONNECT tunnel; a refused CONNECT becomes a `ProxyConnectFailure`. */
class TunnellingAgent extends HttpsProxyAgent<string> {
  private readonly tlsToTarget: tls.ConnectionOptions;

  constructor(proxyUrl: URL, caCertificate: string | undefined) {
    // The options also apply to TLS with the proxy itself, for an https:// proxy URL.
    super(proxyUrl, { keepAlive: true, ...targetTls(caCertificate) });
    this.tlsToTarget = targetTls(caCertificate);
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<net.Socket> {
    let answer: number | undefined;
    req.once("proxyConnect", (response: { statusCode?: number }) => {
      answer = response.statusCode;
    });
    let socket: net.Socket;
    try {
      // The agent's own options do not reach the TLS handshake with the target: pass them per connection.
      socket = await super.connect(req, { ...opts, ...this.tlsToTarget } as AgentConnectOpts);
    } catch (error) {
      throw answer === undefined ? new ProxyConnectFailure(codeOf(error), undefined) : error;
    }
    if (answer !== 200) {
      // The library would hand the proxy's answer over as if the target had sent it (a CONNECT 403 would
      // look like Plume's firewall): report it as the proxy's instead.
      socket.destroy();
      throw new ProxyConnectFailure(undefined, answer);
    }
    return socket;
  }
}

/** `http://` targets as absolute-URI requests to the proxy; failing to reach it is a `ProxyConnectFailure`. */
class ForwardingAgent extends HttpProxyAgent<string> {
  constructor(proxyUrl: URL, caCertificate: string | undefined) {
    super(proxyUrl, { keepAlive: true, ...targetTls(caCertificate) });
  }

  override async connect(req: http.ClientRequest, opts: AgentConnectOpts): Promise<net.Socket> {
    try {
      return await super.connect(req as Parameters<HttpProxyAgent<string>["connect"]>[0], opts);
    } catch (error) {
      throw new ProxyConnectFailure(codeOf(error), undefined);
    }
  }
}

/** What the proxy agents' `connect` receives for each new connection. */
type AgentConnectOpts = Parameters<HttpsProxyAgent<string>["connect"]>[1];

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
