// A forward proxy on port 0 for client tests: it tunnels CONNECT requests and forwards absolute-URI plain
// HTTP requests, counting both per target, as an ISP's egress proxy would. Made-up host names are mapped to
// local servers, the way a real proxy resolves names the client never looks up itself.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";

/** How the proxy behaves. */
export interface CountingProxyOptions {
  /** Target `host:port` -> the local `host:port` that serves it. Unlisted targets are connected to as named. */
  routes?: Record<string, string>;
  /** `user:password` the proxy requires (407 otherwise). @default no authentication */
  credentials?: string;
  /** Answer every CONNECT with this status instead of tunnelling (403 for a policy refusal, 502...). */
  refuseConnectWith?: number;
}

/** A running counting proxy. */
export interface CountingProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `host:port` of the proxy. */
  address: string;
  /** CONNECT requests received, per target `host:port`. */
  connects: Map<string, number>;
  /** Plain-HTTP requests forwarded, per target `host:port`. */
  forwarded: Map<string, number>;
  /** Every `Proxy-Authorization` header received, decoded (`user:password`), or `""` when absent. */
  proxyCredentialsSeen: string[];
  /** CONNECTs plus forwarded requests, to every target. */
  total(): number;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1, port 0. */
export async function startCountingProxy(options: CountingProxyOptions = {}): Promise<CountingProxy> {
  const connects = new Map<string, number>();
  const forwarded = new Map<string, number>();
  const proxyCredentialsSeen: string[] = [];
  const sockets = new Set<net.Socket>();
  const count = (counter: Map<string, number>, target: string) =>
    counter.set(target, (counter.get(target) ?? 0) + 1);
  const upstreamOf = (target: string) => {
    const [host, port] = splitHostPort(options.routes?.[target] ?? target);
    return { host, port };
  };
  const isAuthorised = (headers: http.IncomingHttpHeaders): boolean => {
    const header = headers["proxy-authorization"];
    const seen = header?.startsWith("Basic ")
      ? Buffer.from(header.slice("Basic ".length), "base64").toString("utf8")
      : "";
    proxyCredentialsSeen.push(seen);
    return options.credentials === undefined || seen === options.credentials;
  };

  const server = http.createServer((req, res) => {
    let target: URL;
    try {
      target = new URL(req.url ?? "");
    } catch {
      res.writeHead(400).end("a proxy needs an absolute URI");
      return;
    }
    const targetAddress = `${target.hostname}:${target.port || 80}`;
    count(forwarded, targetAddress);
    if (!isAuthorised(req.headers)) {
      res.writeHead(407, { "Proxy-Authenticate": 'Basic realm="test"' }).end();
      return;
    }
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    delete headers["proxy-connection"];
    const upstream = http.request(
      { ...upstreamOf(targetAddress), method: req.method, path: target.pathname + target.search, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const target = req.url ?? "";
    count(connects, target);
    client.on("error", () => client.destroy());
    if (!isAuthorised(req.headers)) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n',
      );
      return;
    }
    if (options.refuseConnectWith !== undefined) {
      client.end(`HTTP/1.1 ${options.refuseConnectWith} Refused\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const { host, port } = upstreamOf(target);
    const upstream = net.connect(port, host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\n\r\n"));
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    connects,
    forwarded,
    proxyCredentialsSeen,
    total: () => [...connects.values(), ...forwarded.values()].reduce((sum, n) => sum + n, 0),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function splitHostPort(address: string): [string, number] {
  const at = address.lastIndexOf(":");
  return [address.slice(0, at).replace(/^\[|\]$/g, ""), Number(address.slice(at + 1))];
}
