// A tiny HTTP server on port 0 whose answers a test scripts, for client tests that need exact control
// (the simulator covers the realistic end-to-end runs).
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the server received. */
export interface ReceivedRequest {
  method: string;
  /** Raw request target, as sent on the wire. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What to answer: a response, a connection reset, or no answer at all for `ms`. */
export type ScriptedAnswer =
  | { status: number; body?: string | object; headers?: Record<string, string> }
  | { reset: true }
  | { stallMs: number };

/** A running scripted server. */
export interface ScriptedServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** Starts a server answering each request with `answer(request, index)`. */
export async function startScriptedServer(
  answer: (request: ReceivedRequest, index: number) => ScriptedAnswer | Promise<ScriptedAnswer>,
): Promise<ScriptedServer> {
  const requests: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const received: ReceivedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(received);
      void Promise.resolve(answer(received, requests.length - 1)).then((reply) => {
        if ("reset" in reply) {
          req.socket.destroy();
        } else if ("stallMs" in reply) {
          const timer = setTimeout(() => res.end(), reply.stallMs);
          res.on("close", () => clearTimeout(timer));
        } else {
          const body = typeof reply.body === "object" ? JSON.stringify(reply.body) : (reply.body ?? "");
          res.writeHead(reply.status, {
            "Content-Type": typeof reply.body === "object" ? "application/json" : "text/html",
            ...reply.headers,
          });
          res.end(body);
        }
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A location body, with the secrets a real one carries. */
export function sampleLocation(id = "loc-1", extra: object = {}): object {
  return {
    id,
    name: "Home",
    serviceId: "svc-1",
    profile: "auto",
    customerId: "cust-1",
    createdAt: "2024-01-01T00:00:00.000Z",
    backhaul: { wpaKey: "wifi-secret-key" },
    wanSettings: { pppoe: { username: "u", password: "pppoe-secret" } },
    ...extra,
  };
}
