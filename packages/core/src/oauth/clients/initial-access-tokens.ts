import { recordAuditEvent } from "../../audit/record-audit-event";
import { randomSecret, sha256 } from "../../crypto/secrets";
import type { Actor, CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";

/** RFC 7591 §3 initial access tokens look like `iat_<43 base64url chars>`. */
export const INITIAL_ACCESS_TOKEN_PREFIX = "iat_";

export interface IssuedInitialAccessToken {
  /** Shown once; stored only as its SHA-256. */
  token: string;
  expiresAt: number;
  maxUses: number;
}

/** A live initial access token, checked but not yet spent. */
export interface PresentedInitialAccessToken {
  id: string;
  maxUses: number;
}

const invalidToken = (): PlintoError => new PlintoError("invalid_token", { detail: "the initial access token is invalid, expired or used up" });

/**
 * Issues an initial access token for dynamic client registration: a one-time
 * token row (purpose oauth_initial_access_token) whose `attempts` counts the
 * registrations made with it, up to `maxUses`.
 */
export async function createInitialAccessToken(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  input: { expiresInSeconds: number; maxUses: number },
): Promise<IssuedInitialAccessToken> {
  const token = `${INITIAL_ACCESS_TOKEN_PREFIX}${randomSecret(32)}`;
  const now = deps.clock.now();
  const expiresAt = now + input.expiresInSeconds * 1000;
  await deps.storage.oneTimeTokens.put({
    id: await sha256(token),
    tenantId: scope.tenant.id,
    purpose: "oauth_initial_access_token",
    subject: null,
    codeHash: null,
    attempts: 0,
    data: { maxUses: input.maxUses },
    createdAt: now,
    expiresAt,
  });
  await recordAuditEvent(deps, scope, {
    type: "oauth_initial_access_token.created",
    actor,
    data: { expires_at: new Date(expiresAt).toISOString(), max_uses: input.maxUses },
  });
  return { token, expiresAt, maxUses: input.maxUses };
}

/** Checks that the bearer token is a live initial access token with uses left, without spending one (RFC 6750 errors). */
export async function checkInitialAccessToken(deps: CoreDeps, scope: TenantScope, token: string): Promise<PresentedInitialAccessToken> {
  if (!token.startsWith(INITIAL_ACCESS_TOKEN_PREFIX) || token.length > 200) throw invalidToken();
  const id = await sha256(token);
  const row = await deps.storage.oneTimeTokens.peek(scope.tenant.id, "oauth_initial_access_token", id, deps.clock.now());
  const maxUses = row?.data.maxUses;
  if (!row || typeof maxUses !== "number" || row.attempts >= maxUses) throw invalidToken();
  return { id, maxUses };
}

/** Spends one use, race-safely (a conditional counter in storage); fails when another request took the last one. */
export async function spendInitialAccessToken(deps: CoreDeps, scope: TenantScope, presented: PresentedInitialAccessToken): Promise<void> {
  const row = await deps.storage.oneTimeTokens.countAttempt(
    scope.tenant.id,
    "oauth_initial_access_token",
    presented.id,
    deps.clock.now(),
    presented.maxUses,
  );
  if (!row) throw invalidToken();
}
