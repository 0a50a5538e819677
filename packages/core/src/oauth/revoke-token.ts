import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OAuthClient } from "../ports/oauth-repositories";
import { REVOCATION_LEEWAY_MS } from "../ports/revocation-list";
import { accessTokenTtl, grantRevocationTarget } from "./oauth-access-token";
import { findPresentedToken, readTokenTypeHint } from "./presented-token";

/**
 * RFC 7009 §2.1: the client (authenticated by its registered method; a public
 * client by its client_id) revokes a token issued to it.
 * - A refresh token, or an access token of a user grant: the grant's session
 *   (the refresh-token family, the tokens' `sid`) is revoked and announced on
 *   the revocation list, so every token of the grant stops working at once
 *   (§2.1: revoking an access token MAY revoke its refresh token too).
 * - A client-credentials access token (no session): its `jti` is listed until
 *   the token expires.
 * Unknown, invalid, expired or another client's tokens change nothing and
 * the answer is the same (§2.2: 200 either way, so a client learns nothing
 * about tokens it does not hold).
 */
export async function revokeToken(deps: CoreDeps, scope: TenantScope, client: OAuthClient, form: Record<string, string>): Promise<void> {
  const token = form.token;
  if (token === undefined) throw new PlintoError("invalid_request", { detail: "token is required" });
  const found = await findPresentedToken(deps, scope, token, readTokenTypeHint(form.token_type_hint));
  if (!found || found.clientId !== client.id) return;
  const now = deps.clock.now();
  if (found.type === "refresh_token") {
    await endGrant(deps, scope, client, found.grant.userId, found.session.id, now);
    return;
  }
  const { claims } = found;
  if (claims.sid !== undefined) {
    await endGrant(deps, scope, client, claims.sub, claims.sid, now);
    return;
  }
  await deps.revocations.revoke(scope.tenant.slug, [{ kind: "token", id: claims.jti, until: claims.exp * 1000 + REVOCATION_LEEWAY_MS }], now);
  await audit(deps, scope, client, null, { jti: claims.jti });
}

function audit(deps: CoreDeps, scope: TenantScope, client: OAuthClient, userId: string | null, data: Record<string, string>): Promise<void> {
  return afterResponse(scope, () =>
    recordAuditEvent(deps, scope, { type: "oauth.token_revoked", actor: { type: "anonymous" }, subjectId: userId, data: { client_id: client.id, ...data } }),
  );
}

/** Revokes the grant's session (announced to edge verifiers before returning) and forgets the grant. */
async function endGrant(deps: CoreDeps, scope: TenantScope, client: OAuthClient, userId: string, sessionId: string, now: number): Promise<void> {
  const target = grantRevocationTarget(scope, accessTokenTtl(scope, client));
  await deps.sessions.forUser(scope.tenant.id, userId).revoke(sessionId, "sign_out", now, target);
  await deps.storage.oauthGrants.delete(scope.tenant.id, sessionId);
  await audit(deps, scope, client, userId, { session_id: sessionId });
}
