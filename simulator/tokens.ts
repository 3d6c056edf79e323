// Tokens the simulator hands out and checks: Okta-style OAuth2 access tokens (sent as `Bearer <jwt>`) and
// LoopBack admin-login tokens (sent raw: `Authorization: <token>`). Each kind is only accepted in its own
// scheme, so a client that sends the wrong one is caught.
import { createHmac, randomBytes } from "node:crypto";

/** How a request presented its credentials. */
export type AuthScheme = "bearer" | "raw" | "basic" | "none";

/** What a valid token grants. */
export interface TokenGrant {
  kind: "oauth" | "login";
  /** The partner the token acts for: the OAuth client's, or the admin user's. */
  partnerId: string;
  /** OAuth client id or admin user id. */
  subject: string;
  /** Epoch milliseconds after which the token is refused. */
  expiresAt: number;
}

/** The result of checking an Authorization header. */
export type TokenCheck =
  | { ok: true; scheme: AuthScheme; grant: TokenGrant }
  | { ok: false; scheme: AuthScheme; reason: "missing" | "unknown" | "expired" | "wrong-scheme" };

/** Classifies an Authorization header without looking at the credential. */
export function authSchemeOf(header: string | undefined): AuthScheme {
  if (header === undefined || header.trim() === "") return "none";
  if (/^bearer\s/i.test(header)) return "bearer";
  if (/^basic\s/i.test(header)) return "basic";
  return "raw";
}

// Expired tokens are swept out when the store has grown this much since the last sweep.
const SWEEP_EVERY = 1000;

/** Issues, checks, expires and revokes tokens against an injectable clock. */
export class TokenStore {
  private readonly tokens = new Map<string, TokenGrant>();
  private readonly signingKey = randomBytes(32);
  private sizeAtLastSweep = 0;
  /** The `iss` claim of issued JWTs; set once the server knows its URL. */
  issuer = "http://127.0.0.1/oauth2/sim-cloud";

  constructor(private readonly now: () => number) {}

  /** Issues an OAuth2 access token shaped like an Okta JWT. */
  issueOAuth(clientId: string, partnerId: string, scopes: string[], ttlSeconds: number): string {
    const issuedAt = this.now();
    const expiresAt = issuedAt + ttlSeconds * 1000;
    const header = { kid: "sim", alg: "HS256" };
    const claims = {
      ver: 1,
      jti: `AT.${randomBytes(16).toString("base64url")}`,
      iss: this.issuer,
      aud: "api://plume",
      iat: Math.floor(issuedAt / 1000),
      exp: Math.floor(expiresAt / 1000),
      cid: clientId,
      sub: clientId,
      scp: scopes,
      partnerId,
    };
    const unsigned = `${base64url(header)}.${base64url(claims)}`;
    const signature = createHmac("sha256", this.signingKey).update(unsigned).digest("base64url");
    const token = `${unsigned}.${signature}`;
    this.remember(token, { kind: "oauth", partnerId, subject: clientId, expiresAt });
    return token;
  }

  /** Issues a LoopBack access token (64 random characters). */
  issueLogin(userId: string, partnerId: string, ttlSeconds: number): string {
    const token = randomBytes(48).toString("base64url").slice(0, 64);
    this.remember(token, {
      kind: "login",
      partnerId,
      subject: userId,
      expiresAt: this.now() + ttlSeconds * 1000,
    });
    return token;
  }

  /**
   * Checks an Authorization header. OAuth tokens are only valid as `Bearer <token>`, login tokens only raw:
   * LoopBack 3 base64-decodes a Bearer value before looking it up (so a raw token sent as Bearer is not
   * found), and Plume's gateway only recognises JWTs as Bearer tokens.
   */
  check(header: string | undefined): TokenCheck {
    const scheme = authSchemeOf(header);
    if (scheme === "none") return { ok: false, scheme, reason: "missing" };
    if (scheme === "basic") return { ok: false, scheme, reason: "wrong-scheme" };
    const value = scheme === "bearer" ? header!.replace(/^bearer\s+/i, "").trim() : header!.trim();
    const grant = this.tokens.get(value);
    if (!grant) return { ok: false, scheme, reason: "unknown" };
    if (this.now() >= grant.expiresAt) {
      this.tokens.delete(value);
      return { ok: false, scheme, reason: "expired" };
    }
    if ((grant.kind === "oauth") !== (scheme === "bearer"))
      return { ok: false, scheme, reason: "wrong-scheme" };
    return { ok: true, scheme, grant };
  }

  /** Forgets every token, so every client has to authenticate again. @returns how many were revoked */
  revokeAll(): number {
    const count = this.tokens.size;
    this.tokens.clear();
    this.sizeAtLastSweep = 0;
    return count;
  }

  /** How many tokens are held (expired ones may linger until the next sweep). */
  size(): number {
    return this.tokens.size;
  }

  private remember(token: string, grant: TokenGrant): void {
    this.tokens.set(token, grant);
    if (this.tokens.size - this.sizeAtLastSweep >= SWEEP_EVERY) {
      const now = this.now();
      for (const [key, held] of this.tokens) if (now >= held.expiresAt) this.tokens.delete(key);
      this.sizeAtLastSweep = this.tokens.size;
    }
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
