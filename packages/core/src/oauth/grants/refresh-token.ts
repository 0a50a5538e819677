import { recordAuditEvent } from "../../audit/record-audit-event";
import { sha256 } from "../../crypto/secrets";
import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import type { SessionRecord, UserSessions } from "../../ports/session-store";
import { assertGrantAllowed } from "../clients/client-policy";
import { activeGrantUser, type OAuthTokenResponse, signGrantTokens } from "../issue-grant-tokens";
import { accessTokenTtl, grantRevocationTarget } from "../oauth-access-token";
import { newOAuthRefreshToken, oauthRefreshTokenUserId } from "../refresh-tokens";
import { narrowResources, narrowScope } from "../scopes";

const invalidGrant = (detail: string) => new PlintoError("invalid_grant", { detail });

/**
 * The refresh_token grant (RFC 6749 §6) with rotation and reuse detection
 * (RFC 9700 §4.14.2). Only OAuth refresh tokens (`ort_`) are accepted; the
 * grant must belong to this client (another client presenting it means the
 * token leaked: the grant is revoked); the scope may narrow, never widen.
 * Checks run on a read-only look-up first, so a refused request leaves the
 * token usable; then the token rotates. A new ID token is returned when the
 * grant has `openid` (OIDC Core §12.2: same iss, sub, aud, auth_time; no nonce).
 */
export async function refreshTokenGrant(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  form: Record<string, string>,
  resources: string[],
): Promise<OAuthTokenResponse> {
  assertGrantAllowed(client, "refresh_token");
  const presented = form.refresh_token;
  if (presented === undefined) throw new PlintoError("invalid_request", { detail: "refresh_token is required" });
  const userId = oauthRefreshTokenUserId(presented);
  if (!userId) throw invalidGrant("not a refresh token issued by this authorization server to a client");
  const sessions = deps.sessions.forUser(scope.tenant.id, userId);
  const revocation = grantRevocationTarget(scope, accessTokenTtl(scope, client));
  const next = newOAuthRefreshToken(userId);
  const [presentedHash, nextHash] = await Promise.all([sha256(presented), sha256(next)]);
  const now = deps.clock.now();
  const current = await sessions.inspect(presentedHash, now);
  if (!current) return rotateUnknown(deps, scope, sessions, { presentedHash, nextHash, revocation });
  const [grant, user] = await Promise.all([deps.storage.oauthGrants.get(scope.tenant.id, current.id), activeGrantUser(deps, scope, userId)]);
  if (!grant) throw invalidGrant("the grant has ended");
  if (grant.clientId !== client.id) {
    await sessions.revoke(current.id, "refresh_token_reused", now, revocation);
    await auditReuse(deps, scope, userId, current.id, client.id);
    throw invalidGrant("the refresh token was issued to another client; the grant is revoked");
  }
  const narrowed = { scope: narrowScope(grant.scope, form.scope), resources: narrowResources(grant.resources, resources) };
  const rotated = await sessions.rotate({
    presentedHash,
    nextHash,
    now,
    ip: scope.request.ip,
    userAgent: scope.request.userAgent,
    idleTtlSeconds: scope.tenant.settings.tokens.refresh_idle_ttl_seconds,
    revocation,
  });
  const session = await rotationResult(deps, scope, userId, rotated, client.id);
  return signGrantTokens(
    deps,
    scope,
    client,
    { sessionId: session.id, user, ...narrowed, authTime: grant.authTime, amr: session.amr, acr: grant.acr, nonce: null },
    next,
  );
}

/** Not a current token: rotating it still detects reuse of a rotated one (and revokes its family). */
async function rotateUnknown(
  deps: CoreDeps,
  scope: TenantScope,
  sessions: UserSessions,
  input: { presentedHash: string; nextHash: string; revocation: ReturnType<typeof grantRevocationTarget> },
): Promise<never> {
  const result = await sessions.rotate({
    ...input,
    now: deps.clock.now(),
    ip: scope.request.ip,
    userAgent: scope.request.userAgent,
    idleTtlSeconds: scope.tenant.settings.tokens.refresh_idle_ttl_seconds,
  });
  if (result.status === "rotated") {
    // Raced with another rotation to current: revoke rather than hand out tokens unchecked.
    await sessions.revoke(result.session.id, "refresh_token_reused", deps.clock.now(), input.revocation);
  }
  if (result.status !== "invalid") {
    await auditReuse(deps, scope, result.session.userId, result.session.id, null);
    throw invalidGrant("the refresh token was already used; the grant is revoked");
  }
  throw invalidGrant("the refresh token is invalid, expired or revoked");
}

async function rotationResult(
  deps: CoreDeps,
  scope: TenantScope,
  userId: string,
  rotated: Awaited<ReturnType<UserSessions["rotate"]>>,
  clientId: string,
): Promise<SessionRecord> {
  if (rotated.status === "rotated") return rotated.session;
  if (rotated.status === "reused") {
    await auditReuse(deps, scope, userId, rotated.session.id, clientId);
    throw invalidGrant("the refresh token was already used; the grant is revoked");
  }
  throw invalidGrant("the refresh token is invalid, expired or revoked");
}

async function auditReuse(deps: CoreDeps, scope: TenantScope, userId: string, sessionId: string, clientId: string | null): Promise<void> {
  await recordAuditEvent(deps, scope, {
    type: "oauth.refresh_token_reused",
    actor: { type: "anonymous" },
    subjectId: userId,
    data: { session_id: sessionId, ...(clientId !== null ? { client_id: clientId } : {}) },
  });
}
