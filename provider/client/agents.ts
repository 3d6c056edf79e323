// Keep-alive HTTP agents, shared by every client of the process with the same TLS settings. Idle
// keep-alive sockets are unref'd by Node, so they never keep the process alive.
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import { createHash } from "node:crypto";

/** The agents a client sends through. */
export interface Agents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

const agentsByCa = new Map<string, Agents>();

/**
 * Keep-alive agents with TLS verification on, trusting Node's bundled roots plus `caCertificate` (PEM)
 * when given. Shared per distinct CA.
 */
export function processAgents(caCertificate: string | undefined): Agents {
  const key = caCertificate === undefined ? "" : createHash("sha256").update(caCertificate).digest("hex");
  let agents = agentsByCa.get(key);
  if (!agents) {
    agents = {
      httpAgent: new http.Agent({ keepAlive: true }),
      httpsAgent: new https.Agent({
        keepAlive: true,
        rejectUnauthorized: true,
        ...(caCertificate === undefined ? {} : { ca: [...tls.rootCertificates, caCertificate] }),
      }),
    };
    agentsByCa.set(key, agents);
  }
  return agents;
}
