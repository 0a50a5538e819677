import { randomSecret, sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";

/** RFC 6749 §4.1.2: codes are short-lived (Plinto: 60 s) and single use. */
export const AUTHORIZATION_CODE_TTL_MS = 60_000;
/** How long a redeemed code is remembered, so its replay can revoke what it issued (RFC 6749 §4.1.2). */
export const REDEEMED_CODE_MEMORY_MS = 24 * 3_600_000;

/** What the authorization endpoint decided, carried by the code to the token endpoint. */
export interface AuthorizationCodeData {
  clientId: string;
  redirectUri: string;
  scope: string;
  resources: string[];
  codeChallenge: string;
  codeChallengeMethod: "S256";
  nonce: string | null;
  userId: string;
  amr: string[];
  authTime: number;
  acr: string | null;
  loginSessionId: string | null;
}

/** Stores the code (60 s, single use) and returns it. Only its SHA-256 is kept; the user is the row's subject (erasure). */
export async function issueAuthorizationCode(deps: CoreDeps, scope: TenantScope, data: AuthorizationCodeData): Promise<string> {
  const code = randomSecret(32);
  const now = deps.clock.now();
  await deps.storage.oneTimeTokens.put({
    id: await sha256(code),
    tenantId: scope.tenant.id,
    purpose: "oauth_authorization_code",
    subject: data.userId,
    codeHash: null,
    attempts: 0,
    data: { ...data },
    createdAt: now,
    expiresAt: now + AUTHORIZATION_CODE_TTL_MS,
  });
  return code;
}

/** A code consumed for redemption, and the id under which its redemption is remembered. */
export interface RedeemedCode {
  codeId: string;
  data: AuthorizationCodeData;
}

/**
 * Consumes a code exactly once (conditional DELETE ... RETURNING). A code that
 * is gone but was redeemed before is a replay: the session it opened is
 * revoked, so its access and refresh tokens stop working (RFC 6749 §4.1.2,
 * RFC 9700 §4.5), and the answer is invalid_grant either way.
 */
export async function consumeAuthorizationCode(deps: CoreDeps, scope: TenantScope, code: string): Promise<RedeemedCode> {
  const codeId = await sha256(code);
  const now = deps.clock.now();
  const store = deps.storage.oneTimeTokens;
  const row = await store.consume(scope.tenant.id, "oauth_authorization_code", codeId, now);
  if (row) return { codeId, data: row.data as unknown as AuthorizationCodeData };
  const marker = await store.consume(scope.tenant.id, "oauth_code_redeemed", codeId, now);
  if (marker) {
    await revokeCodeSession(deps, scope, marker.data);
    throw new PlintoError("invalid_grant", { detail: "the authorization code was already used; the tokens issued for it are revoked" });
  }
  throw new PlintoError("invalid_grant", { detail: "the authorization code is invalid or expired" });
}

/** Remembers a redeemed code and the session it opened, for replay detection. */
export async function rememberRedeemedCode(
  deps: CoreDeps,
  scope: TenantScope,
  redeemed: RedeemedCode,
  grant: { sessionId: string; accessTokenTtlSeconds: number },
): Promise<void> {
  const now = deps.clock.now();
  await deps.storage.oneTimeTokens.put({
    id: redeemed.codeId,
    tenantId: scope.tenant.id,
    purpose: "oauth_code_redeemed",
    subject: redeemed.data.userId,
    codeHash: null,
    attempts: 0,
    data: { sessionId: grant.sessionId, userId: redeemed.data.userId, accessTokenTtlSeconds: grant.accessTokenTtlSeconds },
    createdAt: now,
    expiresAt: now + REDEEMED_CODE_MEMORY_MS,
  });
}

async function revokeCodeSession(deps: CoreDeps, scope: TenantScope, marker: Record<string, unknown>): Promise<void> {
  const { sessionId, userId, accessTokenTtlSeconds } = marker;
  if (typeof sessionId !== "string" || typeof userId !== "string" || typeof accessTokenTtlSeconds !== "number") return;
  await deps.sessions
    .forUser(scope.tenant.id, userId)
    .revoke(sessionId, "authorization_code_reused", deps.clock.now(), { list: scope.tenant.slug, accessTokenTtlSeconds });
}
