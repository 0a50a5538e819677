import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { recordAuditEvent } from "../../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { revocationTarget } from "../../sessions/revocation-target";
import { ACCESS_TOKEN_TYPE } from "../../tokens/access-token";
import { MAX_TOKEN_LENGTH } from "../../tokens/verify-access-token";

const invalid = (detail: string) => new PlintoError("invalid_request", { detail });

/**
 * OIDC RP-Initiated Logout 1.0 §2 id_token_hint: an ID token this tenant issued (signature by one of
 * its published keys, `iss` the issuer). Its expiry does not matter (§2: "the OP need not be
 * concerned with expiry"), so an expired but genuine token is accepted. Access tokens are refused.
 */
export async function verifyIdTokenHint(deps: CoreDeps, scope: TenantScope, token: string): Promise<{ sub: string; aud: string[] }> {
  if (token.length > MAX_TOKEN_LENGTH) throw invalid("id_token_hint is too large");
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw invalid("id_token_hint is malformed");
  }
  if (typeof header.kid !== "string" || header.typ === ACCESS_TOKEN_TYPE) throw invalid("id_token_hint is not an ID token");
  const found = await deps.keyring.verificationKey(deps.storage.signingKeys, scope.tenant.id, header.kid, deps.clock.now());
  if (!found) throw invalid("id_token_hint was not signed by this issuer");
  let payload: JWTPayload;
  try {
    payload = (await jwtVerify(token, found.crypto, { algorithms: [found.key.alg], issuer: scope.issuer, currentDate: new Date(deps.clock.now()) })).payload;
  } catch (error) {
    // Thrown only after the signature checked out: the claims are genuine, just old.
    if (error instanceof errors.JWTExpired && error.payload.iss === scope.issuer) payload = error.payload;
    else if (error instanceof errors.JOSEError) throw invalid("id_token_hint was not issued by this issuer");
    else throw error;
  }
  const aud = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
  if (typeof payload.sub !== "string" || aud.length === 0) throw invalid("id_token_hint lacks sub or aud");
  return { sub: payload.sub, aud };
}

/**
 * §2-§3: the client is named by client_id or the ID token's audience (they must agree), and a
 * post_logout_redirect_uri must be registered for it, matched exactly; otherwise no redirect.
 */
export async function resolveLogoutClient(
  deps: CoreDeps,
  scope: TenantScope,
  input: { clientId: string | null; hintAudience: string[] | null; postLogoutRedirectUri: string | null },
): Promise<OAuthClient | null> {
  const clientId = input.clientId ?? (input.hintAudience?.length === 1 ? input.hintAudience[0] : null) ?? null;
  if (input.clientId && input.hintAudience && !input.hintAudience.includes(input.clientId)) {
    throw invalid("client_id is not the audience of id_token_hint");
  }
  const client = clientId && clientId.length <= 64 ? await deps.storage.oauthClients.get(scope.tenant.id, clientId) : null;
  if (input.postLogoutRedirectUri === null) return client;
  if (!client) throw invalid("post_logout_redirect_uri needs client_id or id_token_hint");
  if (!client.postLogoutRedirectUris.includes(input.postLogoutRedirectUri)) {
    throw invalid("post_logout_redirect_uri is not registered for this client");
  }
  return client;
}

/**
 * Ends a hosted-login session: revokes it and every OAuth grant made from it (their refresh
 * tokens stop working, their access tokens' sid is announced as revoked), and audits it.
 */
export async function signOutLoginSession(deps: CoreDeps, scope: TenantScope, userId: string, loginSessionId: string): Promise<string[]> {
  const now = deps.clock.now();
  const target = revocationTarget(scope);
  const revoked: string[] = [];
  if (await deps.sessions.forUser(scope.tenant.id, userId).revoke(loginSessionId, "sign_out", now, target)) revoked.push(loginSessionId);
  for (const grant of await deps.storage.oauthGrants.listForLoginSession(scope.tenant.id, loginSessionId)) {
    if (await deps.sessions.forUser(scope.tenant.id, grant.userId).revoke(grant.sessionId, "sign_out", now, target)) revoked.push(grant.sessionId);
  }
  if (revoked.length > 0) {
    await recordAuditEvent(deps, scope, {
      type: "session.revoked",
      actor: { type: "user", userId, sessionId: loginSessionId, role: "user" },
      subjectId: userId,
      data: { session_ids: revoked, reason: "sign_out" },
    });
  }
  return revoked;
}
