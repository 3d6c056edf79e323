// Token sources for the three ways to authenticate. Each hands out the `Authorization` header value for
// API calls. Fetching is single-flight: however many calls need a token at once, one request fetches it.
import { createHash } from "node:crypto";
import { systemClientClock } from "./clock";
import { PlumeTokenError } from "./errors";
import { describeOptionPath, type DescribeSetting, type PlumeAuth } from "./options";

/** A token request, described for the client's request path (which adds timeout, retries, logging). */
export interface TokenHttpRequest {
  method: "POST";
  /** Absolute URL. */
  url: string;
  headers: Record<string, string>;
  /** Body, already encoded. */
  body: string;
  /** Whether the request goes to the API host (the admin login) and so through the rate limiter. */
  isApiHost: boolean;
}

/** Sends a token request; resolves with the parsed JSON body of a 2xx, throws a `PlumeError` otherwise. */
export type TokenRequestSender = (request: TokenHttpRequest) => Promise<unknown>;

/** A token and when to renew it. */
interface HeldToken {
  header: string;
  /** The credential inside `header` (without a scheme word such as `Bearer`), to mask on its own too. */
  credential: string;
  /** Wall-clock ms after which the token is renewed in the background (still used meanwhile). */
  renewAt: number;
  /** Wall-clock ms after which the token is not used any more. */
  expiresAt: number;
}

/** Hands out `Authorization` header values. */
export interface TokenSource {
  /** Whether a fresh token can be obtained after a 401 (not for a token given by the user). */
  readonly canRenew: boolean;
  /**
   * The header value to send; fetches a token through `send` when none is usable. `describeSetting` names an
   * option in the hint of a malformed token answer (one fetch serves every caller waiting for it, so they
   * all get the wording of the caller that started it). @default {@link describeOptionPath}
   */
  authorization(send: TokenRequestSender, describeSetting?: DescribeSetting): Promise<string>;
  /**
   * The header value if a usable token is at hand, without waiting (starting a background renewal through
   * `send` when one is due); `undefined` when a token must be fetched first.
   */
  usableAuthorization(send: TokenRequestSender, describeSetting?: DescribeSetting): string | undefined;
  /**
   * Forgets `staleHeader` after a 401, unless a newer token already replaced it: so a hundred concurrent 401s
   * of one stale token lead to exactly one new token.
   */
  invalidate(staleHeader: string): void;
  /** Secrets to mask in logs and messages: the credentials and the current token. */
  secrets(): string[];
}

/** How long before expiry a token is renewed. @default 30000, or half the lifetime for tokens shorter than a minute */
export const RENEW_BEFORE_EXPIRY_MS = 30_000;

/** How long after a failed background renewal the next one starts (the token stays in use meanwhile). */
export const RENEWAL_RETRY_MS = 5_000;

/** A token given by the user: sent verbatim, never renewed. */
export class StaticTokenSource implements TokenSource {
  readonly canRenew = false;

  /** `token` is the exact `Authorization` header value. */
  constructor(private readonly token: string) {}

  /** The token, as given. */
  async authorization(): Promise<string> {
    return this.token;
  }

  /** The token, as given. */
  usableAuthorization(): string {
    return this.token;
  }

  /** Nothing to forget: a given token cannot be replaced. */
  invalidate(): void {}

  /** The token itself, and the credential after its scheme word (`Bearer <credential>`), if it has one. */
  secrets(): string[] {
    const credential = /^\S+\s+(\S.*)$/.exec(this.token)?.[1];
    return credential === undefined ? [this.token] : [this.token, credential];
  }
}

/** Shared logic of the renewable sources: caching, renewal ahead of expiry, single-flight fetching. */
abstract class RenewableTokenSource implements TokenSource {
  readonly canRenew = true;
  private held: HeldToken | undefined;
  /** The token `held` replaced: a late answer to a call that sent it may still echo it. */
  private previous: HeldToken | undefined;
  private pending: Promise<HeldToken> | undefined;

  /** `now` is the wall clock, injectable for tests. */
  constructor(protected readonly now: () => number = Date.now) {}

  /** Fetches one token; implemented per authentication kind. */
  protected abstract fetchToken(
    send: TokenRequestSender,
    describeSetting: DescribeSetting,
  ): Promise<HeldToken>;

  /** Credentials to mask. */
  protected abstract credentialSecrets(): string[];

  async authorization(
    send: TokenRequestSender,
    describeSetting: DescribeSetting = describeOptionPath,
  ): Promise<string> {
    return (
      this.usableAuthorization(send, describeSetting) ??
      (await (this.pending ?? this.startFetch(send, describeSetting))).header
    );
  }

  usableAuthorization(
    send: TokenRequestSender,
    describeSetting: DescribeSetting = describeOptionPath,
  ): string | undefined {
    const now = this.now();
    const held = this.held;
    if (!held || now >= held.expiresAt) return undefined;
    if (now >= held.renewAt && !this.pending) {
      // Renew ahead of expiry while the current token keeps working; a failure here is reported by the
      // next call that actually needs the new token. After a failure, wait before trying again: a failing
      // token endpoint must not get one more request for every API call made meanwhile.
      this.startFetch(send, describeSetting).catch(() => {
        held.renewAt = Math.min(held.expiresAt, this.now() + RENEWAL_RETRY_MS);
      });
    }
    return held.header;
  }

  invalidate(staleHeader: string): void {
    if (this.held?.header === staleHeader) {
      this.previous = this.held;
      this.held = undefined;
    }
  }

  secrets(): string[] {
    const tokens = [this.held, this.previous].flatMap((token) =>
      token ? [token.header, token.credential] : [],
    );
    return [...this.credentialSecrets(), ...tokens];
  }

  private startFetch(send: TokenRequestSender, describeSetting: DescribeSetting): Promise<HeldToken> {
    const fetching = this.fetchToken(send, describeSetting).then(
      (token) => {
        if (this.held) this.previous = this.held;
        this.held = token;
        this.pending = undefined;
        return token;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    this.pending = fetching;
    return fetching;
  }

  /** When to renew and when to stop using a token that lives `lifetimeMs` from `requestedAt`. */
  protected schedule(header: string, credential: string, requestedAt: number, lifetimeMs: number): HeldToken {
    const renewBefore = Math.min(RENEW_BEFORE_EXPIRY_MS, lifetimeMs / 2);
    // Stop using it a little before it expires too, so a request is not sent with a token about to lapse.
    const stopBefore = Math.min(5_000, lifetimeMs / 10);
    return {
      header,
      credential,
      renewAt: requestedAt + lifetimeMs - renewBefore,
      expiresAt: requestedAt + lifetimeMs - stopBefore,
    };
  }
}

/** OAuth2 client credentials: `POST <tokenUrl>` with HTTP Basic, then `Authorization: Bearer <token>`. */
export class OAuthTokenSource extends RenewableTokenSource {
  /** Lifetime assumed when the token endpoint does not say (Plume's shortest per-partner setting). */
  static readonly ASSUMED_LIFETIME_MS = 300_000;

  /** `auth` holds the token URL and client credentials. */
  constructor(
    private readonly auth: Extract<PlumeAuth, { kind: "oauth" }>,
    now?: () => number,
  ) {
    super(now);
  }

  protected credentialSecrets(): string[] {
    const basic = Buffer.from(`${this.auth.clientId}:${this.auth.clientSecret}`).toString("base64");
    return [this.auth.clientSecret, basic];
  }

  protected async fetchToken(send: TokenRequestSender, describeSetting: DescribeSetting): Promise<HeldToken> {
    const requestedAt = this.now();
    const basic = Buffer.from(`${this.auth.clientId}:${this.auth.clientSecret}`).toString("base64");
    const body = await send({
      method: "POST",
      url: this.auth.tokenUrl,
      headers: {
        Authorization: `Basic ${basic}`,
        "Content-Type": "application/x-www-form-urlencoded",
        "Cache-Control": "no-cache",
      },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        scope: `partnerId:${this.auth.partnerId} role:partnerIdAdmin`,
      }).toString(),
      isApiHost: false,
    });
    const token = body as Record<string, unknown> | undefined;
    const accessToken = token?.access_token;
    if (typeof accessToken !== "string" || accessToken === "") {
      throw new PlumeTokenError("The token endpoint answered without an access token", {
        method: "POST",
        path: new URL(this.auth.tokenUrl).pathname,
        hint: `Check ${describeSetting("auth.tokenUrl")}: it must be Plume's OAuth2 token endpoint (…/oauth2/<cloud-id>/v1/token).`,
      });
    }
    const tokenType = typeof token?.token_type === "string" ? token.token_type : "Bearer";
    const expiresIn = Number(token?.expires_in);
    const lifetimeMs =
      Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : OAuthTokenSource.ASSUMED_LIFETIME_MS;
    const scheme = tokenType.toLowerCase() === "bearer" ? "Bearer" : tokenType;
    return this.schedule(`${scheme} ${accessToken}`, accessToken, requestedAt, lifetimeMs);
  }
}

/** Admin login: `POST /api/Customers/login`, then the returned token sent raw, LoopBack style. */
export class LoginTokenSource extends RenewableTokenSource {
  /** Lifetime assumed when the login answer has no `ttl` (LoopBack's default is two weeks; be modest). */
  static readonly ASSUMED_LIFETIME_MS = 3_600_000;

  /** `apiBaseUrl` is the resolved API base (no trailing `/api`). */
  constructor(
    private readonly auth: Extract<PlumeAuth, { kind: "login" }>,
    private readonly apiBaseUrl: string,
    now?: () => number,
  ) {
    super(now);
  }

  protected credentialSecrets(): string[] {
    return [this.auth.password];
  }

  protected async fetchToken(send: TokenRequestSender, describeSetting: DescribeSetting): Promise<HeldToken> {
    const requestedAt = this.now();
    const body = await send({
      method: "POST",
      url: `${this.apiBaseUrl}/api/Customers/login`,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: this.auth.email, password: this.auth.password }),
      isApiHost: true,
    });
    const login = body as Record<string, unknown> | undefined;
    if (typeof login?.id !== "string" || login.id === "") {
      throw new PlumeTokenError("The admin login answered without a token", {
        method: "POST",
        path: "/api/Customers/login",
        hint: `Check ${describeSetting("apiUrl")}: it must be the Plume API host the admin user belongs to.`,
      });
    }
    const ttl = Number(login.ttl);
    const lifetimeMs = Number.isFinite(ttl) && ttl > 0 ? ttl * 1000 : LoginTokenSource.ASSUMED_LIFETIME_MS;
    return this.schedule(login.id, login.id, requestedAt, lifetimeMs);
  }
}

/** Token sources per clock (the real one, or a test's), then per hash of the credentials. */
const sharedSources = new WeakMap<object, Map<string, TokenSource>>();

/**
 * The token source for `auth`, shared by every client of the process with the same credentials, so a
 * provider that builds a client per resource still fetches one token, not one per resource. Keyed by a hash
 * of the credentials, never the credentials themselves.
 */
export function processTokenSource(
  auth: PlumeAuth,
  apiBaseUrl: string,
  clock: { wallNow(): number } = systemClientClock,
): TokenSource {
  if (auth.kind === "token") return new StaticTokenSource(auth.token);
  const key = createHash("sha256")
    .update(
      JSON.stringify(
        auth.kind === "oauth"
          ? [auth.kind, auth.tokenUrl, auth.clientId, auth.clientSecret, auth.partnerId]
          : [auth.kind, apiBaseUrl, auth.email, auth.password],
      ),
    )
    .digest("hex");
  let sources = sharedSources.get(clock);
  if (!sources) sharedSources.set(clock, (sources = new Map()));
  let source = sources.get(key);
  if (!source) {
    const now = () => clock.wallNow();
    source =
      auth.kind === "oauth" ? new OAuthTokenSource(auth, now) : new LoginTokenSource(auth, apiBaseUrl, now);
    sources.set(key, source);
  }
  return source;
}
