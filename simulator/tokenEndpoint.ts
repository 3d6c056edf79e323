// The Okta-style OAuth2 token endpoint (`POST /oauth2/<cloudId>/v1/token`), client-credentials grant only.
import type { Metrics } from "./metrics";
import type { OAuthClientAccount } from "./options";
import { jsonResponse, oauthError, type SimRequest, type SimResponse } from "./exchange";
import type { TokenStore } from "./tokens";

/** What the token endpoint needs from the simulator. */
export interface TokenEndpointContext {
  tokens: TokenStore;
  clients: ReadonlyMap<string, OAuthClientAccount>;
  tokenTtlSeconds: number;
  metrics: Metrics;
}

/** The role every partner-admin token must request. */
export const ADMIN_ROLE_SCOPE = "role:partnerIdAdmin";

/**
 * Handles a token request. Checks, in order: POST, form content type, client authentication (HTTP Basic
 * only, as Plume documents it), `grant_type`, then `scope` against the client's partner.
 */
export function handleTokenRequest(request: SimRequest, context: TokenEndpointContext): SimResponse {
  if (request.method !== "POST") {
    const answer = oauthError(405, "invalid_request", "The token endpoint only supports POST.");
    answer.headers = { ...answer.headers, Allow: "POST" };
    return answer;
  }
  const contentType = String(request.headers["content-type"] ?? "").toLowerCase();
  if (!contentType.startsWith("application/x-www-form-urlencoded")) {
    return oauthError(
      400,
      "invalid_request",
      "Endpoint only supports application/x-www-form-urlencoded requests.",
    );
  }
  const form = new URLSearchParams(request.body.toString("utf8"));

  const client = authenticateClient(request.headers.authorization, context.clients);
  if (!client) {
    const answer = oauthError(
      401,
      "invalid_client",
      "Client authentication failed. Send the client id and secret with HTTP Basic authentication.",
    );
    answer.headers = { ...answer.headers, "WWW-Authenticate": 'Basic realm="oauth2"' };
    return answer;
  }

  const grantType = form.get("grant_type");
  if (!grantType) return oauthError(400, "invalid_request", "The grant_type parameter is required.");
  if (grantType !== "client_credentials") {
    return oauthError(
      400,
      "unsupported_grant_type",
      `The authorization grant type '${grantType}' is not supported; this client may use client_credentials.`,
    );
  }

  const wanted = `partnerId:${client.partnerId} ${ADMIN_ROLE_SCOPE}`;
  const scope = form.get("scope");
  if (!scope || scope.trim() === "") {
    return oauthError(
      400,
      "invalid_scope",
      `The scope parameter is required; this client may request '${wanted}'.`,
    );
  }
  const scopes = scope.trim().split(/\s+/);
  const foreign = scopes.filter(
    (item) => item !== `partnerId:${client.partnerId}` && item !== ADMIN_ROLE_SCOPE,
  );
  if (
    foreign.length > 0 ||
    !scopes.includes(`partnerId:${client.partnerId}`) ||
    !scopes.includes(ADMIN_ROLE_SCOPE)
  ) {
    const detail = foreign.length > 0 ? `Scopes not allowed: ${foreign.join(" ")}. ` : "";
    return oauthError(400, "invalid_scope", `${detail}This client may request '${wanted}'.`);
  }

  const accessToken = context.tokens.issueOAuth(
    client.clientId,
    client.partnerId,
    scopes,
    context.tokenTtlSeconds,
  );
  context.metrics.counters.tokensIssued += 1;
  return jsonResponse(
    200,
    {
      token_type: "Bearer",
      expires_in: context.tokenTtlSeconds,
      access_token: accessToken,
      scope: scopes.join(" "),
    },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}

function authenticateClient(
  header: string | undefined,
  clients: ReadonlyMap<string, OAuthClientAccount>,
): OAuthClientAccount | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  // RFC 6749 form-encodes id and secret before base64, but many clients do not: accept either.
  const rawId = decoded.slice(0, colon);
  const rawSecret = decoded.slice(colon + 1);
  const client = clients.get(rawId) ?? clients.get(formDecode(rawId));
  const secretMatches =
    client && (client.clientSecret === rawSecret || client.clientSecret === formDecode(rawSecret));
  return secretMatches ? client : undefined;
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}
