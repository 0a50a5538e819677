import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Signer } from "../keys/keyring";
import { seconds } from "../ports/clock";
import type { OAuthClient } from "../ports/oauth-repositories";
import type { RevocationTarget } from "../ports/session-store";
import { type RegisteredAccessClaims, signJwtAccessToken } from "../tokens/access-token";
import { verifySignedAccessToken } from "../tokens/verify-access-token";

/**
 * Claims of an access token issued to an OAuth client (RFC 9068 §2.2):
 * registered claims, `client_id` and `scope`; user grants add `sid` (the
 * grant's session, revocable), `auth_time`, `amr` and `acr` (§2.2.1).
 * Client-credentials tokens have `sub` = client_id and no `sid`.
 */
export interface OAuthAccessClaims extends RegisteredAccessClaims {
  client_id: string;
  scope: string;
  sid?: string;
  auth_time?: number;
  amr?: string[];
  acr?: string;
}

export async function signOAuthAccessToken(signer: Signer, claims: OAuthAccessClaims): Promise<string> {
  return signJwtAccessToken(signer, claims);
}

/** What an OAuth access token is issued for: its subject, the granted scope and resources, and any claims of a user grant. */
export interface OAuthAccessTokenRequest {
  sub: string;
  scope: string;
  resources: string[];
  /** Added after the common claims: a user grant's `sid`, `auth_time`, `amr`, `acr`. */
  userClaims?: Pick<OAuthAccessClaims, "sid" | "auth_time" | "amr" | "acr">;
}

/**
 * Signs an access token for `client` with the tenant's current key: `iss`,
 * `aud` (accessTokenAudience), `iat` = `nbf` = now, `exp` after the client's
 * lifetime (accessTokenTtl), a new `jti`, `client_id` and `scope`. Returns the
 * signer, time and lifetime too, for an ID token signed alongside.
 */
export async function issueOAuthAccessToken(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  request: OAuthAccessTokenRequest,
): Promise<{ accessToken: string; signer: Signer; now: number; ttl: number }> {
  const now = deps.clock.now();
  const ttl = accessTokenTtl(scope, client);
  const signer = await deps.keyring.signer(deps.storage.signingKeys, deps.vault, scope.tenant.id, now);
  const iat = seconds(now);
  const accessToken = await signOAuthAccessToken(signer, {
    iss: scope.issuer,
    sub: request.sub,
    aud: accessTokenAudience(scope, request.resources, request.scope),
    iat,
    nbf: iat,
    exp: iat + ttl,
    jti: crypto.randomUUID(),
    client_id: client.id,
    scope: request.scope,
    ...request.userClaims,
  });
  return { accessToken, signer, now, ttl };
}

/** Access-token lifetime for a client: its own setting, else the tenant's. */
export const accessTokenTtl = (scope: TenantScope, client: OAuthClient): number =>
  client.accessTokenTtlSeconds ?? scope.tenant.settings.tokens.access_token_ttl_seconds;

/** Where a grant's revocation is announced: listed as long as the longest token it may have issued lives. */
export function grantRevocationTarget(scope: TenantScope, accessTokenTtlSeconds: number): RevocationTarget {
  return {
    list: scope.tenant.slug,
    accessTokenTtlSeconds: Math.max(accessTokenTtlSeconds, scope.tenant.settings.tokens.access_token_ttl_seconds),
  };
}

/**
 * RFC 9068 §3 / RFC 8707 §2: `aud` names the resources the token is for; the
 * issuer when none was asked for, and also when `openid` was granted, so the
 * token works at the userinfo endpoint. One audience is a string.
 */
export function accessTokenAudience(scope: TenantScope, resources: string[], grantedScope: string): string | string[] {
  const audiences = resources.length === 0 || grantedScope.split(" ").includes("openid") ? [...resources, scope.issuer] : resources;
  const unique = [...new Set(audiences)];
  return unique.length === 1 ? (unique[0] ?? scope.issuer) : unique;
}

/**
 * Claims of an OAuth access token accepted by userinfo/introspection: a valid
 * signature from the tenant's keys, `typ` at+jwt, this issuer, `client_id`
 * and `scope` present; a user token's grant (its `sid` session) must still be
 * active, so revocation (replayed code, refresh reuse, sign-out) is immediate;
 * a client-credentials token must not be on the tenant's revocation list.
 * `audience` (e.g. the issuer, for userinfo) is checked when given.
 * Throws invalid_token.
 */
export async function verifyOAuthAccessToken(
  deps: CoreDeps,
  scope: TenantScope,
  token: string,
  options: { audience?: string } = {},
): Promise<OAuthAccessClaims> {
  const now = deps.clock.now();
  const payload = await verifySignedAccessToken(
    {
      token,
      tenantId: scope.tenant.id,
      issuer: scope.issuer,
      audience: options.audience ?? null,
      now,
      keyring: deps.keyring,
      keys: deps.storage.signingKeys,
    },
    ["sub", "exp", "iat", "jti", "client_id"],
  );
  const { sub, client_id: clientId, scope: granted, sid } = payload;
  if (typeof sub !== "string" || typeof clientId !== "string" || typeof granted !== "string") {
    throw new PlintoError("invalid_token", { detail: "not an access token issued to an OAuth client" });
  }
  if (sid !== undefined) {
    const session = typeof sid === "string" ? await deps.sessions.forUser(scope.tenant.id, sub).get(sid, now) : null;
    if (!session) throw new PlintoError("invalid_token", { detail: "the grant has ended" });
  } else {
    // Client credentials: no session; a revoked token (RFC 7009) is listed by jti.
    if (sub !== clientId) throw new PlintoError("invalid_token", { detail: "malformed claims" });
    const revoked = (await deps.revocations.snapshot(scope.tenant.slug, now)).tokens;
    if (typeof payload.jti === "string" && Object.hasOwn(revoked, payload.jti)) {
      throw new PlintoError("invalid_token", { detail: "the token was revoked" });
    }
  }
  return payload as unknown as OAuthAccessClaims;
}
