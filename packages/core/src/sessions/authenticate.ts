import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import type { SessionRecord } from "../ports/session-store";
import type { AccessTokenClaims } from "../tokens/access-token";
import { verifyAccessToken } from "../tokens/verify-access-token";

export interface Authenticated {
  claims: AccessTokenClaims;
  session: SessionRecord;
  user: User;
  actor: Extract<Actor, { type: "user" }>;
}

/**
 * Checks an access token for the auth API: signature and claims, then that its
 * session is still active (revocation is immediate here: the session-store
 * object is asked on every call) and the user exists and is not banned.
 */
export async function authenticateAccessToken(deps: CoreDeps, scope: TenantScope, token: string): Promise<Authenticated> {
  const now = deps.clock.now();
  const claims = await verifyAccessToken({
    token,
    tenantId: scope.tenant.id,
    issuer: scope.issuer,
    audience: scope.issuer,
    now,
    keyring: deps.keyring,
    keys: deps.storage.signingKeys,
  });
  const [session, user] = await Promise.all([
    deps.sessions.forUser(scope.tenant.id, claims.sub).get(claims.sid, now),
    deps.storage.users.getById(scope.tenant.id, claims.sub),
  ]);
  if (!session) throw new PlintoError("invalid_token", { detail: "session has ended" });
  if (!user || user.bannedAt !== null) throw new PlintoError("invalid_token", { detail: "user is not active" });
  return { claims, session, user, actor: { type: "user", userId: user.id, sessionId: session.id, role: user.role } };
}
