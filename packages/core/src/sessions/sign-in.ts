import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import type { User } from "../model";
import type { UserPatch } from "../ports/repositories";
import { completeFirstFactor, type SignInResult } from "./complete-sign-in";
import { bucketKey, enforceRateLimit, rejectUnlessAllowed } from "./rate-limits";

export interface SignInInput {
  email: string;
  password: string;
}

/**
 * Password sign-in. Order matters: rate limits (per IP, then per account, whose
 * object also holds the account lock and answers both in one call), then
 * exactly one password verification whether or not the account exists (a
 * dummy hash stands in), so neither answers nor timing reveal which emails
 * have accounts. Failures count toward a growing lockout.
 */
export async function signIn(
  deps: CoreDeps,
  scope: TenantScope,
  input: SignInInput,
): Promise<SignInResult> {
  const { settings } = scope.tenant;
  const email = normalizeEmail(input.email);
  await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
    limit: settings.rate_limits.sign_in_per_minute_per_ip,
    windowSeconds: 60,
  });
  const accountKey = await bucketKey(scope.tenant.id, "sign_in:account", email);
  const admission = await deps.rateLimiter.admitAccount(
    accountKey,
    { limit: settings.rate_limits.sign_in_per_minute_per_account, windowSeconds: 60 },
    deps.clock.now(),
  );
  await rejectUnlessAllowed(deps, scope, "sign_in:account", admission.rate);
  if (admission.lock.locked) throw new PlintoError("account_locked", { retryAfterSeconds: admission.lock.retryAfterSeconds });

  const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
  const check = user?.passwordHash
    ? await deps.hasher.verify(user.passwordHash, input.password)
    : (await deps.hasher.verifyAgainstDummy(input.password), { ok: false, needsRehash: false });

  if (!user || !check.ok) {
    await recordFailure(deps, scope, accountKey, user);
    throw new PlintoError("invalid_credentials");
  }
  if (admission.hasFailures) await deps.rateLimiter.recordSuccess(accountKey);
  if (check.needsRehash) {
    await recordAuditEvent(deps, scope, { type: "user.password_rehashed", actor: { type: "system" }, subjectId: user.id });
  }
  // Imported bcrypt/scrypt/PBKDF2 (or weaker argon2) hashes become argon2id on the first good sign-in.
  const patch: UserPatch = check.needsRehash ? { passwordHash: await deps.hasher.hash(input.password), updatedAt: deps.clock.now() } : {};
  return completeFirstFactor(deps, scope, user, { amr: ["pwd"], patch });
}

async function recordFailure(deps: CoreDeps, scope: TenantScope, lockKey: string, user: User | null): Promise<void> {
  const { threshold, base_seconds, max_seconds } = scope.tenant.settings.lockout;
  const policy = { threshold, baseSeconds: base_seconds, maxSeconds: max_seconds };
  const outcome = await deps.rateLimiter.recordFailure(lockKey, policy, deps.clock.now());
  const actor = { type: "anonymous" } as const;
  await recordAuditEvent(deps, scope, {
    type: "sign_in.failed",
    actor,
    subjectId: user?.id ?? null,
    data: { reason: user ? "wrong_password" : "unknown_email" },
  });
  if (outcome.lockedNow) {
    await recordAuditEvent(deps, scope, {
      type: "user.locked",
      actor: { type: "system" },
      subjectId: user?.id ?? null,
      data: { lock_seconds: outcome.retryAfterSeconds },
    });
  }
}
