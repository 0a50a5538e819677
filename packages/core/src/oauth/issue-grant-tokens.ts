import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import { seconds } from "../ports/clock";
import type { OAuthClient } from "../ports/oauth-repositories";
import { signIdToken } from "./id-token";
import { accessTokenTtl, issueOAuthAccessToken } from "./oauth-access-token";
import { newOAuthRefreshToken } from "./refresh-tokens";
import { hasScope } from "./scopes";

export { type OAuthAccessClaims, verifyOAuthAccessToken } from "./oauth-access-token";

/** What a grant allows and how the user authenticated: the part of a grant its tokens state. */
export interface GrantedAccess {
  scope: string;
  resources: string[];
  /** When the user authenticated, ms. */
  authTime: number;
  amr: string[];
  acr: string | null;
  nonce: string | null;
}

/** What a user allowed a client, as the authorization code or the approved device code carries it. */
export interface UserAuthorization extends GrantedAccess {
  userId: string;
  clientId: string;
  loginSessionId: string | null;
}

/** RFC 6749 §5.1 successful token response (plus OIDC Core §3.1.3.3 id_token). */
export interface OAuthTokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** The tokens of one grant (session) to sign: what was granted and, for the ID token, the nonce. */
export interface GrantToSign extends GrantedAccess {
  sessionId: string;
  user: User;
}

/** The user a grant is for, still present and not banned; invalid_grant otherwise. */
export async function activeGrantUser(deps: CoreDeps, scope: TenantScope, userId: string): Promise<User> {
  const user = await deps.storage.users.getById(scope.tenant.id, userId);
  if (!user || user.bannedAt !== null) throw new PlintoError("invalid_grant", { detail: "the user is not active" });
  return user;
}

/**
 * Signs the access token (RFC 9068) and, when `openid` was granted, the ID
 * token (OIDC Core §2, at_hash over this access token) of a user grant.
 */
export async function signGrantTokens(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  grant: GrantToSign,
  refreshToken: string | null,
): Promise<OAuthTokenResponse> {
  const { accessToken, signer, now, ttl } = await issueOAuthAccessToken(deps, scope, client, {
    sub: grant.user.id,
    scope: grant.scope,
    resources: grant.resources,
    userClaims: {
      sid: grant.sessionId,
      auth_time: seconds(grant.authTime),
      ...(grant.amr.length > 0 ? { amr: grant.amr } : {}),
      ...(grant.acr !== null ? { acr: grant.acr } : {}),
    },
  });
  const idToken = hasScope(grant.scope, "openid")
    ? await signIdToken(signer, scope, { ...grant, clientId: client.id, accessToken, now, ttlSeconds: ttl })
    : null;
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: ttl,
    scope: grant.scope,
    ...(refreshToken !== null ? { refresh_token: refreshToken } : {}),
    ...(idToken !== null ? { id_token: idToken } : {}),
  };
}

/**
 * Opens the grant's session (one refresh-token family in the session store;
 * its id is the tokens' `sid`) and its oauth_grants row, then signs the
 * tokens. A refresh token is issued only when `offline_access` was granted
 * and the client may use the refresh_token grant (OIDC Core §11); without
 * one, the session lives as long as the access token.
 */
export async function openUserGrant(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  auth: UserAuthorization,
): Promise<{ tokens: OAuthTokenResponse; sessionId: string }> {
  if (auth.clientId !== client.id) throw new PlintoError("invalid_grant", { detail: "the grant was issued to another client" });
  const user = await activeGrantUser(deps, scope, auth.userId);
  const offline = hasScope(auth.scope, "offline_access") && client.grantTypes.includes("refresh_token");
  const refreshToken = offline ? newOAuthRefreshToken(user.id) : null;
  const { tokens: settings } = scope.tenant.settings;
  const absolute = offline ? (client.refreshTokenTtlSeconds ?? settings.refresh_token_ttl_seconds) : accessTokenTtl(scope, client);
  const now = deps.clock.now();
  const sessionId = deps.ids.newId("ses");
  await Promise.all([
    deps.sessions.forUser(scope.tenant.id, user.id).create({
      sessionId,
      userId: user.id,
      // Without offline access the family's only token is one nobody ever holds.
      refreshTokenHash: await sha256(refreshToken ?? newOAuthRefreshToken(user.id)),
      now,
      absoluteTtlSeconds: absolute,
      idleTtlSeconds: offline ? Math.min(settings.refresh_idle_ttl_seconds, absolute) : absolute,
      ip: scope.request.ip,
      userAgent: scope.request.userAgent,
      amr: auth.amr,
    }),
    deps.storage.oauthGrants.insert({
      sessionId,
      tenantId: scope.tenant.id,
      userId: user.id,
      clientId: client.id,
      scope: auth.scope,
      resources: auth.resources,
      authTime: auth.authTime,
      acr: auth.acr,
      loginSessionId: auth.loginSessionId,
      createdAt: now,
    }),
  ]);
  const tokens = await signGrantTokens(deps, scope, client, { ...auth, sessionId, user }, refreshToken);
  await afterResponse(scope, () =>
    recordAuditEvent(deps, scope, {
      type: "oauth.grant_created",
      actor: { type: "user", userId: user.id, sessionId, role: user.role },
      subjectId: user.id,
      data: { client_id: client.id, scope: auth.scope, session_id: sessionId },
    }),
  );
  return { tokens, sessionId };
}

/**
 * Opens the grant's session + oauth_grants row and signs tokens (ID token when
 * scope has openid). Used by the authorization_code grant and the device_code grant.
 */
export async function issueUserGrantTokens(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  auth: UserAuthorization,
): Promise<OAuthTokenResponse> {
  return (await openUserGrant(deps, scope, client, auth)).tokens;
}
