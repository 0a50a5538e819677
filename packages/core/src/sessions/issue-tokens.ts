import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { seconds } from "../ports/clock";
import { type OrganizationClaims, organizationClaims } from "../organizations/organization-claims";
import type { SessionRecord } from "../ports/session-store";
import { signAccessToken } from "../tokens/access-token";
import { newRefreshToken } from "./refresh-token";

export interface IssuedTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  session: SessionRecord;
}

/**
 * Signs an access token for an active session (RFC 9068 claims plus `sid`,
 * `amr` and the active organization's `org_id`/`org_role`/`permissions`,
 * re-read from storage unless the caller just read them).
 */
export async function signSessionAccessToken(
  deps: CoreDeps,
  scope: TenantScope,
  session: SessionRecord,
  organization?: OrganizationClaims | null,
): Promise<{ accessToken: string; expiresIn: number }> {
  const org = organization === undefined ? await organizationClaims(deps, scope, session) : organization;
  const now = deps.clock.now();
  const ttl = scope.tenant.settings.tokens.access_token_ttl_seconds;
  const signer = await deps.keyring.signer(deps.storage.signingKeys, deps.vault, scope.tenant.id, now);
  const iat = seconds(now);
  const accessToken = await signAccessToken(signer, {
    iss: scope.issuer,
    sub: session.userId,
    aud: scope.issuer,
    iat,
    nbf: iat,
    exp: iat + ttl,
    jti: crypto.randomUUID(),
    sid: session.id,
    amr: session.amr,
    ...org,
  });
  return { accessToken, expiresIn: ttl };
}

/** Starts a session (one refresh-token family) for a user who just authenticated. */
export async function startSession(
  deps: CoreDeps,
  scope: TenantScope,
  userId: string,
  amr: string[],
): Promise<IssuedTokens> {
  const refreshToken = newRefreshToken(userId);
  const { tokens } = scope.tenant.settings;
  const session = await deps.sessions.forUser(scope.tenant.id, userId).create({
    sessionId: deps.ids.newId("ses"),
    userId,
    refreshTokenHash: await sha256(refreshToken),
    now: deps.clock.now(),
    absoluteTtlSeconds: tokens.refresh_token_ttl_seconds,
    idleTtlSeconds: tokens.refresh_idle_ttl_seconds,
    ip: scope.request.ip,
    userAgent: scope.request.userAgent,
    amr,
  });
  return { ...(await signSessionAccessToken(deps, scope, session)), refreshToken, session };
}
