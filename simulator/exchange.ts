// One request and its answer as the handlers see them, and the answers in the shapes Plume's pieces use:
// LoopBack JSON errors from the API, the firewall's HTML page, Okta's OAuth errors.
import type { IncomingHttpHeaders } from "node:http";

/** A request, body already read. */
export interface SimRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the handler. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The client's IP address. */
  ip: string;
}

/** An answer to write: a JSON value, a text body, or nothing. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as JSON unless `text` is set. */
  json?: unknown;
  /** A body sent as is, with `contentType`. */
  text?: string;
  contentType?: string;
}

/** A JSON answer. */
export function jsonResponse(status: number, json: unknown, headers?: Record<string, string>): SimResponse {
  return { status, json, ...(headers ? { headers } : {}) };
}

/** LoopBack 3's error body: `{"error":{"statusCode","name","message","code"?}}`. */
export function loopbackError(status: number, name: string, message: string, code?: string): SimResponse {
  return jsonResponse(status, { error: { statusCode: status, name, message, ...(code ? { code } : {}) } });
}

/** LoopBack's 401, for a missing, expired, wrong-scheme or foreign token. */
export function authorizationRequired(): SimResponse {
  return loopbackError(401, "Error", "Authorization Required", "AUTHORIZATION_REQUIRED");
}

/** LoopBack's 404 for a route it has no method for. */
export function noMethod(method: string, path: string): SimResponse {
  return loopbackError(404, "Error", `There is no method to handle ${method} ${path}`);
}

/** LoopBack's 422 for input validation. */
export function validationError(message: string): SimResponse {
  return loopbackError(422, "ValidationError", message);
}

/** The firewall's 403: an HTML page, no JSON, no Retry-After. */
export function firewallForbidden(): SimResponse {
  return {
    status: 403,
    contentType: "text/html",
    text:
      "<html>\n<head><title>403 Forbidden</title></head>\n<body>\n<center><h1>403 Forbidden</h1></center>\n" +
      "<p>Request blocked: rate limit exceeded for your IP address.</p>\n</body>\n</html>\n",
  };
}

/** An HTML error page, as a gateway in front of the application would send. */
export function htmlError(status: number, reason: string): SimResponse {
  return {
    status,
    contentType: "text/html",
    text: `<html>\n<head><title>${status} ${reason}</title></head>\n<body>\n<center><h1>${status} ${reason}</h1></center>\n</body>\n</html>\n`,
  };
}

/** Okta's OAuth2 error body. */
export function oauthError(status: number, error: string, description: string): SimResponse {
  return jsonResponse(
    status,
    { error, error_description: description },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}
