// Proxies from the environment: which requests go through which proxy. `HTTPS_PROXY` serves https:// URLs,
// `HTTP_PROXY` http:// URLs (`ALL_PROXY` for either when those are unset), each in lower or upper case (lower
// wins), and `NO_PROXY` exempts hosts. Loopback hosts (the simulator) never go through a proxy.
import { getProxyForUrl } from "proxy-from-env";
import { ProxyConnectFailure, processAgents, proxiedAgents, type Agents } from "./agents";
import { PlumeProxyError } from "./errors";
import type { NetworkOutcome, ProxyFailure } from "./httpOutcome";
import { isLoopbackHost } from "./options";

/** The proxy requests to one origin go through. */
export interface ProxyEndpoint {
  /** `http://host:port` of the proxy, without credentials: safe to log. */
  shownUrl: string;
  /** `host:port` of the proxy. */
  address: string;
  /** The variable it came from, as set (`HTTPS_PROXY` or `https_proxy`, `ALL_PROXY`...). */
  variable: string;
  /** Whether the proxy URL holds a user name or password. */
  hasCredentials: boolean;
}

/** How requests to one origin travel: the agents to send through, and the proxy when there is one. */
export interface Route {
  agents: Agents;
  /** Absent for a direct connection. */
  proxy?: ProxyEndpoint;
  /** The target's `host:port`. */
  target: string;
  /** How the route was chosen, for the debug log: `via proxy http://proxy:3128 (HTTPS_PROXY)`. */
  description: string;
}

/**
 * The routes of one client, decided once when the client is built, from the process environment, for
 * every URL the client will call (the API and the token URL may differ, and `NO_PROXY` may exempt one).
 */
export class ProxyRoutes {
  private readonly routes = new Map<string, Route>();

  /**
   * Decides the route of each of `urls`. Throws a `PlumeProxyError` when a proxy variable that applies
   * holds no usable http:// or https:// URL.
   */
  constructor(
    urls: readonly string[],
    private readonly caCertificate: string | undefined,
  ) {
    for (const url of urls) this.routeFor(url);
  }

  /** The route for `url`'s origin. */
  routeFor(url: string): Route {
    const target = new URL(url);
    let route = this.routes.get(target.origin);
    if (!route) {
      route = decideRoute(target, this.caCertificate);
      this.routes.set(target.origin, route);
    }
    return route;
  }

  /** One line per origin that a proxy variable concerns, for the debug log; none when no proxy is set. */
  describe(): string[] {
    return [...this.routes.entries()]
      .filter(([origin]) => proxyVariableFor(new URL(origin).protocol) !== undefined)
      .map(([origin, route]) => `requests to ${origin} go ${route.description}`);
  }
}

/**
 * The network outcome of an attempt that failed at the proxy, or `undefined` when the failure is not the
 * proxy's: `error` is what the request rejected with, `status` the response status when there was one (a
 * plain-HTTP proxy answers 407 itself).
 */
export function proxyOutcome(
  route: Route,
  failure: { error: unknown } | { status: number },
): NetworkOutcome | undefined {
  if (!route.proxy) return undefined;
  const base = (status: number | undefined): ProxyFailure => ({
    address: route.proxy!.address,
    variable: route.proxy!.variable,
    target: route.target,
    sentCredentials: route.proxy!.hasCredentials,
    ...(status === undefined ? {} : { status }),
  });
  if ("status" in failure) {
    if (failure.status !== 407) return undefined;
    return { kind: "network", message: "proxy authentication required", proxy: base(407) };
  }
  const cause = (failure.error as { cause?: unknown } | null)?.cause ?? failure.error;
  if (!(cause instanceof ProxyConnectFailure)) return undefined;
  return { kind: "network", code: cause.code, message: cause.message, proxy: base(cause.status) };
}

function decideRoute(target: URL, caCertificate: string | undefined): Route {
  const targetAddress = `${target.hostname}:${target.port || (target.protocol === "https:" ? 443 : 80)}`;
  const direct = (why: string): Route => ({
    agents: processAgents(caCertificate),
    target: targetAddress,
    description: `direct (${why})`,
  });
  const variable = proxyVariableFor(target.protocol);
  if (variable === undefined) return direct("no proxy set");
  // A proxy cannot reach this machine's loopback: the simulator is always reached directly.
  if (isLoopbackHost(target.hostname)) return direct("loopback hosts never use a proxy");
  if (getProxyForUrl(target.href) === "") return direct("NO_PROXY");
  const proxyUrl = parseProxyUrl(variable);
  const address = `${proxyUrl.hostname}:${proxyUrl.port || (proxyUrl.protocol === "https:" ? 443 : 80)}`;
  const shownUrl = `${proxyUrl.protocol}//${address}`;
  return {
    agents: proxiedAgents(proxyUrl, caCertificate),
    proxy: {
      shownUrl,
      address,
      variable: variable.name,
      hasCredentials: proxyUrl.username !== "" || proxyUrl.password !== "",
    },
    target: targetAddress,
    description: `via proxy ${shownUrl} (${variable.name})`,
  };
}

/**
 * The proxy variable that applies to a protocol, in proxy-from-env's order (which also decides NO_PROXY):
 * lower case before upper case, `ALL_PROXY` when the protocol's own is unset or empty.
 */
function proxyVariableFor(protocol: string): { name: string; value: string } | undefined {
  const scheme = protocol.replace(/:$/, "");
  for (const name of [`${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`, "all_proxy", "ALL_PROXY"]) {
    const value = process.env[name];
    if (value !== undefined && value !== "") return { name, value };
  }
  return undefined;
}

/** The proxy URL in `variable`; a value without a scheme means http://, as curl reads it. */
function parseProxyUrl(variable: { name: string; value: string }): URL {
  const text = variable.value.trim();
  let url: URL | undefined;
  try {
    url = new URL(text.includes("://") ? text : `http://${text}`);
  } catch {
    // Reported below, without the value: it may hold a password.
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    const scheme = url ? ` (it starts with ${url.protocol}//)` : "";
    throw new PlumeProxyError(`${variable.name} does not hold a usable proxy URL${scheme}`, {
      variable: variable.name,
      hint:
        `Set ${variable.name} to the proxy's URL, e.g. http://proxy.example:3128 (with credentials: ` +
        `http://user:password@proxy.example:3128, percent-encoded); only http:// and https:// proxies are ` +
        `supported. Unset it, or list the Plume hosts in NO_PROXY, to connect directly.`,
    });
  }
  return url;
}
