import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { verifyOAuthAccessToken } from "./oauth-access-token";
import { hasScope } from "./scopes";
import { type UserClaims, userClaimsForScope } from "./user-claims";

/**
 * OIDC Core §5.3 UserInfo: the claims of the user an access token was issued
 * for, by the scopes granted (§5.4), `sub` always. Only OAuth access tokens of
 * a user grant (with `sid`, whose session must still be active) with scope
 * `openid` and the issuer among their audiences (RFC 9068 §4) are accepted:
 * first-party and client-credentials tokens are not. Throws `invalid_token`
 * (401) or `forbidden` (403, RFC 6750 §3.1 insufficient_scope).
 */
export async function userInfo(deps: CoreDeps, scope: TenantScope, token: string): Promise<UserClaims> {
  const claims = await verifyOAuthAccessToken(deps, scope, token);
  if (claims.sid === undefined) throw new PlintoError("invalid_token", { detail: "the token was not issued for a user" });
  if (!hasScope(claims.scope, "openid")) throw new PlintoError("forbidden", { detail: "the token lacks the openid scope" });
  const audiences = typeof claims.aud === "string" ? [claims.aud] : claims.aud;
  if (!audiences.includes(scope.issuer)) throw new PlintoError("invalid_token", { detail: "the token is not for this issuer's userinfo" });
  const user = await deps.storage.users.getById(scope.tenant.id, claims.sub);
  if (!user || user.bannedAt !== null) throw new PlintoError("invalid_token", { detail: "the user is not active" });
  return userClaimsForScope(user, claims.scope);
}
