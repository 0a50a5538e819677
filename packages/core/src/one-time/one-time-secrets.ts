import { randomSecret, sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OneTimePurpose, OneTimeToken } from "../ports/one-time-tokens";

/** How long email links and codes live (issue 5: 15 minutes). */
export const EMAIL_SECRET_TTL_MS = 15 * 60_000;
/** How long MFA and WebAuthn challenges live (at most 5 minutes). */
export const CHALLENGE_TTL_MS = 5 * 60_000;

/**
 * A uniformly random 6-digit code. Rejection sampling keeps every code equally
 * likely (2^32 is not a multiple of 10^6).
 */
export function newSixDigitCode(): string {
  const limit = 4_294_000_000; // largest multiple of 10^6 below 2^32
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while ((word[0] ?? limit) >= limit);
  return String((word[0] ?? 0) % 1_000_000).padStart(6, "0");
}

/** The row id of a code sent to `subject`: one live code per purpose and address. */
export const codeRowId = (tenantId: string, purpose: OneTimePurpose, subject: string): Promise<string> =>
  sha256(`${tenantId}:${purpose}:${subject}`);

/** Codes are short, so their digest is salted with the row id (no table of 10^6 precomputed hashes applies). */
export const codeDigest = (rowId: string, code: string): Promise<string> => sha256(`${rowId}:${code}`);

export interface IssueInput {
  purpose: OneTimePurpose;
  subject: string | null;
  data?: Record<string, unknown>;
  ttlMs: number;
}

/** Stores a new high-entropy token and returns it; only its digest is kept. */
export async function issueToken(deps: CoreDeps, scope: TenantScope, input: IssueInput): Promise<{ token: string; expiresAt: number }> {
  const token = randomSecret();
  const now = deps.clock.now();
  const row: OneTimeToken = {
    id: await sha256(token),
    tenantId: scope.tenant.id,
    purpose: input.purpose,
    subject: input.subject,
    codeHash: null,
    attempts: 0,
    data: input.data ?? {},
    createdAt: now,
    expiresAt: now + input.ttlMs,
  };
  await deps.storage.oneTimeTokens.put(row);
  return { token, expiresAt: row.expiresAt };
}

/** Redeems a token exactly once; `null` when unknown, expired or already used. */
export async function redeemToken(
  deps: CoreDeps,
  scope: TenantScope,
  purpose: OneTimePurpose,
  token: string,
): Promise<OneTimeToken | null> {
  return deps.storage.oneTimeTokens.consume(scope.tenant.id, purpose, await sha256(token), deps.clock.now());
}

/** Stores a new 6-digit code for `subject`, replacing any earlier one, and returns it. */
export async function issueCode(
  deps: CoreDeps,
  scope: TenantScope,
  input: IssueInput & { subject: string },
): Promise<{ code: string; expiresAt: number }> {
  const code = newSixDigitCode();
  const now = deps.clock.now();
  const id = await codeRowId(scope.tenant.id, input.purpose, input.subject);
  await deps.storage.oneTimeTokens.put({
    id,
    tenantId: scope.tenant.id,
    purpose: input.purpose,
    subject: input.subject,
    codeHash: await codeDigest(id, code),
    attempts: 0,
    data: input.data ?? {},
    createdAt: now,
    expiresAt: now + input.ttlMs,
  });
  return { code, expiresAt: now + input.ttlMs };
}

/**
 * Checks a code for `subject`. Each try is counted before the comparison, and
 * after `code_attempts` wrong tries the code is void (429 `too_many_attempts`)
 * until a new one is sent. A right code is consumed exactly once.
 */
export async function redeemCode(
  deps: CoreDeps,
  scope: TenantScope,
  purpose: OneTimePurpose,
  subject: string,
  code: string,
): Promise<OneTimeToken> {
  const store = deps.storage.oneTimeTokens;
  const id = await codeRowId(scope.tenant.id, purpose, subject);
  const now = deps.clock.now();
  const maxAttempts = scope.tenant.settings.rate_limits.code_attempts;
  const row = await store.countAttempt(scope.tenant.id, purpose, id, now, maxAttempts);
  if (!row) throw new PlintoError("invalid_code");
  const consumed = await store.consumeWithCode(scope.tenant.id, purpose, id, await codeDigest(id, code), now);
  if (consumed) return consumed;
  if (row.attempts >= maxAttempts) {
    await store.consume(scope.tenant.id, purpose, id, now);
    throw new PlintoError("too_many_attempts");
  }
  throw new PlintoError("invalid_code");
}
