import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import { CHALLENGE_TTL_MS, issueToken } from "../one-time/one-time-secrets";
import type { OneTimeToken } from "../ports/one-time-tokens";
import { openSession, type SecondFactorKind, type SignInResult } from "../sessions/complete-sign-in";
import type { IssuedTokens } from "../sessions/issue-tokens";

/** What an MFA challenge remembers between the first factor and the second. */
export interface MfaChallenge {
  userId: string;
  /** RFC 8176 methods the first factor proved, e.g. ["pwd"]. */
  amr: string[];
  /** The user had no factor and the policy requires one: the token may enrol TOTP. */
  enrollmentRequired: boolean;
}

/** What a second-factor verifier proved: its RFC 8176 methods (TOTP ["otp"], passkey ["hwk"] or ["swk"], recovery code []). */
export interface SecondFactorProof {
  amr: string[];
}

export type MfaRequired = Extract<SignInResult, { status: "mfa_required" }>;

/** Opens a challenge after a good first factor: a single-use `mfa_token` that lives CHALLENGE_TTL_MS. */
export async function openMfaChallenge(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  input: { amr: string[]; factors: SecondFactorKind[]; enrollmentRequired: boolean },
): Promise<MfaRequired> {
  const { token, expiresAt } = await issueToken(deps, scope, {
    purpose: "mfa_challenge",
    subject: user.id,
    data: { user_id: user.id, amr: input.amr, enrollment_required: input.enrollmentRequired },
    ttlMs: CHALLENGE_TTL_MS,
  });
  return {
    status: "mfa_required",
    user,
    mfaToken: token,
    expiresIn: Math.round((expiresAt - deps.clock.now()) / 1000),
    factors: input.factors,
    enrollmentRequired: input.enrollmentRequired,
  };
}

/**
 * Counts one attempt against the challenge of `mfaToken` and returns it with
 * its user. Unknown, expired or used tokens are 401 `invalid_mfa_token`; a
 * challenge whose `code_attempts` are spent is void: 429 `too_many_attempts`.
 */
export async function useMfaChallenge(
  deps: CoreDeps,
  scope: TenantScope,
  mfaToken: string,
): Promise<{ user: User; challenge: MfaChallenge; row: OneTimeToken }> {
  const store = deps.storage.oneTimeTokens;
  const id = await sha256(mfaToken);
  const now = deps.clock.now();
  const row = await store.countAttempt(scope.tenant.id, "mfa_challenge", id, now, scope.tenant.settings.rate_limits.code_attempts);
  if (!row) {
    // Only a live row with no attempts left survives countAttempt's refusal: take it out and say why.
    const spent = await store.consume(scope.tenant.id, "mfa_challenge", id, now);
    throw new PlintoError(spent ? "too_many_attempts" : "invalid_mfa_token");
  }
  const challenge = parseChallenge(row);
  const user = challenge ? await deps.storage.users.getById(scope.tenant.id, challenge.userId) : null;
  if (!challenge || !user) throw new PlintoError("invalid_mfa_token");
  if (user.bannedAt !== null) throw new PlintoError("user_banned");
  return { user, challenge, row };
}

/**
 * Completes a sign-in's MFA challenge: counts the attempt, runs `verify` (which
 * throws `invalid_code` for a wrong answer), consumes the challenge exactly
 * once and opens the session with the union of the first factor's methods,
 * the verifier's and "mfa" (RFC 8176 §2: multiple-factor authentication).
 * Reusable by any second factor (TOTP, recovery code, passkey).
 */
export async function completeMfaChallenge<T extends SecondFactorProof>(
  deps: CoreDeps,
  scope: TenantScope,
  mfaToken: string,
  verify: (user: User, challenge: MfaChallenge) => Promise<T>,
): Promise<{ status: "signed_in"; user: User; tokens: IssuedTokens; proof: T }> {
  const { user, challenge, row } = await useMfaChallenge(deps, scope, mfaToken);
  const proof = await verify(user, challenge).catch(async (error: unknown) => {
    throw await failedAttempt(deps, scope, user, row, error);
  });
  const consumed = await deps.storage.oneTimeTokens.consume(scope.tenant.id, "mfa_challenge", row.id, deps.clock.now());
  if (!consumed) throw new PlintoError("invalid_mfa_token");
  const signedIn = await openSession(deps, scope, user, unionOf(challenge.amr, proof.amr, ["mfa"]));
  return { ...signedIn, proof };
}

/** Audits a wrong answer; the attempt that spends the last try makes the challenge void (429). */
async function failedAttempt(deps: CoreDeps, scope: TenantScope, user: User, row: OneTimeToken, error: unknown): Promise<unknown> {
  if (!(error instanceof PlintoError) || error.code !== "invalid_code") return error;
  const maxAttempts = scope.tenant.settings.rate_limits.code_attempts;
  await recordAuditEvent(deps, scope, {
    type: "mfa.challenge_failed",
    actor: { type: "anonymous" },
    subjectId: user.id,
    data: { attempt: row.attempts, max_attempts: maxAttempts },
  });
  return row.attempts >= maxAttempts ? new PlintoError("too_many_attempts") : error;
}

function parseChallenge(row: OneTimeToken): MfaChallenge | null {
  const { user_id: userId, amr, enrollment_required: enrollmentRequired } = row.data;
  if (typeof userId !== "string" || userId !== row.subject || !Array.isArray(amr)) return null;
  return {
    userId,
    amr: amr.filter((method): method is string => typeof method === "string"),
    enrollmentRequired: enrollmentRequired === true,
  };
}

/** RFC 8176 method lists merged in order, without duplicates. */
export const unionOf = (...lists: string[][]): string[] => [...new Set(lists.flat())];
