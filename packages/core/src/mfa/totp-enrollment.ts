import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import type { TotpFactor } from "../ports/mfa-repositories";
import type { Authenticated } from "../sessions/authenticate";
import { limitSecondFactorAttempts } from "./code-rate-limit";
import { mintRecoveryCodes } from "./recovery-codes";
import { secondFactorInventory } from "./second-factors";
import { requireRecentAuthentication } from "./step-up-guard";
import { matchTotpStep, newTotpSecret, totpUri } from "./totp";
import { openTotpSecret, sealTotpSecret } from "./totp-secret";

/** Shown once, to the user enrolling: the secret and its key URI (for a QR code). */
export interface TotpEnrollment {
  factorId: string;
  secret: string;
  uri: string;
}

/**
 * Starts TOTP enrolment: a new secret, stored encrypted as a pending factor
 * (replacing an earlier pending one). 409 `mfa_already_enrolled` when the
 * user has an active factor.
 */
export async function startTotpEnrollment(deps: CoreDeps, scope: TenantScope, user: User): Promise<TotpEnrollment> {
  const existing = await deps.storage.totpFactors.getForUser(scope.tenant.id, user.id);
  if (existing?.status === "active") throw new PlintoError("mfa_already_enrolled");
  const secret = newTotpSecret();
  const id = deps.ids.newId("mfa");
  const factor: TotpFactor = {
    id,
    tenantId: scope.tenant.id,
    userId: user.id,
    status: "pending",
    secretEncrypted: await sealTotpSecret(deps, scope.tenant.id, id, secret),
    lastUsedStep: null,
    createdAt: deps.clock.now(),
    activatedAt: null,
  };
  if (!(await deps.storage.totpFactors.putPending(factor))) throw new PlintoError("mfa_already_enrolled");
  return { factorId: id, secret, uri: totpUri(secret, scope.tenant.name, user.email) };
}

/**
 * Activates the pending factor with its first valid code (proving the app
 * holds the secret) and issues the first ten recovery codes, shown once.
 * The code's step counts as used, so it cannot sign in afterwards (replay).
 */
export async function activateTotp(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  code: string,
  actor: Actor,
): Promise<{ amr: string[]; recoveryCodes: string[] }> {
  await limitSecondFactorAttempts(deps, scope, user.id);
  const factor = await deps.storage.totpFactors.getForUser(scope.tenant.id, user.id);
  if (factor?.status === "active") throw new PlintoError("mfa_already_enrolled");
  if (!factor) throw new PlintoError("not_found", { detail: "no TOTP enrolment in progress; start one first" });
  const now = deps.clock.now();
  const step = matchTotpStep(await openTotpSecret(deps, factor), code, now);
  if (step === null) throw new PlintoError("invalid_code");
  const { codes, hashes } = await mintRecoveryCodes(scope.tenant.id, user.id);
  if (!(await deps.storage.totpFactors.activate(factor, step, now, hashes))) throw new PlintoError("mfa_already_enrolled");
  await recordAuditEvent(deps, scope, { type: "mfa.totp_enrolled", actor, subjectId: user.id, data: { factor_id: factor.id } });
  return { amr: ["otp"], recoveryCodes: codes };
}

/**
 * Removes the user's TOTP factor (after a recent authentication). Recovery
 * codes go too when no other factor (passkey) is left for them to stand in for.
 */
export async function disableTotp(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<void> {
  requireRecentAuthentication(deps, scope, auth);
  const removed = await deps.storage.totpFactors.delete(scope.tenant.id, auth.user.id);
  if (!removed) throw new PlintoError("not_found", { detail: "no TOTP factor" });
  const left = await secondFactorInventory(deps, scope, auth.user.id);
  if (left.passkeys === 0) await deps.storage.recoveryCodes.deleteAll(scope.tenant.id, auth.user.id);
  await recordAuditEvent(deps, scope, {
    type: "mfa.totp_disabled",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { factor_id: removed.id, was: removed.status, recovery_codes_removed: left.passkeys === 0 },
  });
}
