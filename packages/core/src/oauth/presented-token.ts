import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OAuthGrant } from "../ports/oauth-repositories";
import type { SessionRecord } from "../ports/session-store";
import { type OAuthAccessClaims, verifyOAuthAccessToken } from "./oauth-access-token";
import { oauthRefreshTokenUserId } from "./refresh-tokens";

/** A live token of this tenant's provider, as introspection (RFC 7662) and revocation (RFC 7009) see it. */
export type PresentedToken =
  | { type: "access_token"; clientId: string; claims: OAuthAccessClaims }
  | { type: "refresh_token"; clientId: string; session: SessionRecord; grant: OAuthGrant };

/** RFC 7009 §2.1 / RFC 7662 §2.1 token_type_hint values this server knows. */
export type TokenTypeHint = "access_token" | "refresh_token";

/**
 * Finds the token a client presented. The two kinds cannot be mistaken for
 * each other (refresh tokens are `ort_...`, access tokens are JWTs), so the
 * client's token_type_hint only orders the look-ups (RFC 7009 §2.1: a wrong
 * hint still finds the token). Null when the token is unknown, malformed,
 * expired, revoked, rotated, a first-party token, or another tenant's.
 */
export async function findPresentedToken(
  deps: CoreDeps,
  scope: TenantScope,
  token: string,
  hint: TokenTypeHint | null,
): Promise<PresentedToken | null> {
  const order: TokenTypeHint[] = hint === "refresh_token" ? ["refresh_token", "access_token"] : ["access_token", "refresh_token"];
  for (const type of order) {
    const found = type === "access_token" ? await findAccessToken(deps, scope, token) : await findRefreshToken(deps, scope, token);
    if (found) return found;
  }
  return null;
}

async function findAccessToken(deps: CoreDeps, scope: TenantScope, token: string): Promise<PresentedToken | null> {
  if (token.split(".").length !== 3) return null;
  try {
    const claims = await verifyOAuthAccessToken(deps, scope, token);
    return { type: "access_token", clientId: claims.client_id, claims };
  } catch (error) {
    if (error instanceof PlintoError && error.code === "invalid_token") return null;
    throw error;
  }
}

/** Read-only: the session store answers for the family's current token only, and never rotates it here. */
async function findRefreshToken(deps: CoreDeps, scope: TenantScope, token: string): Promise<PresentedToken | null> {
  const userId = oauthRefreshTokenUserId(token);
  if (userId === null) return null;
  const session = await deps.sessions.forUser(scope.tenant.id, userId).inspect(await sha256(token), deps.clock.now());
  if (!session) return null;
  const grant = await deps.storage.oauthGrants.get(scope.tenant.id, session.id);
  if (!grant || grant.userId !== userId) return null;
  return { type: "refresh_token", clientId: grant.clientId, session, grant };
}

/** A token_type_hint as sent; anything else is no hint (RFC 7662 §2.1: the server may ignore it). */
export function readTokenTypeHint(value: string | undefined): TokenTypeHint | null {
  return value === "access_token" || value === "refresh_token" ? value : null;
}
