import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { seconds } from "../ports/clock";
import type { ClientAuthMethod, OAuthClient } from "../ports/oauth-repositories";
import { findPresentedToken, type PresentedToken, readTokenTypeHint } from "./presented-token";

/** RFC 7662 §2.2 introspection response. Inactive tokens say nothing else (§2.2: "active": false alone). */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string;
      sub: string;
      exp: number;
      iat: number;
      iss: string;
      token_type?: "Bearer";
      nbf?: number;
      aud?: string | string[];
      jti?: string;
      sid?: string;
    };

const INACTIVE = { active: false } as const;

/**
 * RFC 7662 §2: a client asks whether a token is active. The caller must hold a
 * real credential (§2.1: `none` proves nothing, so public clients are
 * refused). It learns about a token issued to itself, or, as a protected
 * resource (§1, §4), about an access token one of whose audiences is a
 * resource in its `allowedResources`. Any other token (another client's for
 * another resource, another tenant's, unknown, expired, revoked, rotated,
 * first-party) is `{active: false}` (§2.2, §4).
 */
export async function introspectToken(
  deps: CoreDeps,
  scope: TenantScope,
  caller: { client: OAuthClient; method: ClientAuthMethod },
  form: Record<string, string>,
): Promise<IntrospectionResponse> {
  if (caller.method === "none") throw new PlintoError("invalid_client", { detail: "introspection requires client authentication" });
  const token = form.token;
  if (token === undefined) throw new PlintoError("invalid_request", { detail: "token is required" });
  const found = await findPresentedToken(deps, scope, token, readTokenTypeHint(form.token_type_hint));
  if (!found || !mayIntrospect(scope, caller.client, found)) return INACTIVE;
  return describe(scope, found);
}

/**
 * RFC 7662 §4: the server decides which callers may learn about a token. The
 * issuing client may; so may a resource server named in an access token's
 * `aud` (RFC 8707 §2), the token being meant for it. The issuer audience
 * (present for userinfo) never matches, and refresh tokens are never shown
 * to resource servers: they are presented only to this server (RFC 6749 §1.5).
 */
function mayIntrospect(scope: TenantScope, caller: OAuthClient, found: PresentedToken): boolean {
  if (found.clientId === caller.id) return true;
  if (found.type !== "access_token") return false;
  const audiences = typeof found.claims.aud === "string" ? [found.claims.aud] : found.claims.aud;
  return audiences.some((audience) => audience !== scope.issuer && caller.allowedResources.includes(audience));
}

function describe(scope: TenantScope, found: PresentedToken): IntrospectionResponse {
  if (found.type === "access_token") {
    const { claims } = found;
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      sub: claims.sub,
      exp: claims.exp,
      iat: claims.iat,
      nbf: claims.nbf,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
      token_type: "Bearer",
      ...(claims.sid !== undefined ? { sid: claims.sid } : {}),
    };
  }
  const { session, grant } = found;
  return {
    active: true,
    scope: grant.scope,
    client_id: grant.clientId,
    sub: grant.userId,
    // The family ends at its absolute end or, unused, at its idle end.
    exp: seconds(Math.min(session.expiresAt, session.idleExpiresAt)),
    // The current token was issued at the family's last rotation (or its creation).
    iat: seconds(session.lastUsedAt),
    iss: scope.issuer,
    sid: session.id,
  };
}
