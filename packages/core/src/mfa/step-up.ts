import type { AuthenticationCredential } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { provePasskeyStepUp } from "../passkeys/step-up";
import type { SessionRecord } from "../ports/session-store";
import type { Authenticated } from "../sessions/authenticate";
import { enforceRateLimit } from "../sessions/rate-limits";
import { redeemRecoveryCode } from "./recovery-codes";
import { verifyTotp } from "./verify-totp";

/** One proof of the user's identity, given again. */
export type StepUpProof =
  | { method: "password"; password: string }
  | { method: "totp"; code: string }
  | { method: "recovery_code"; code: string }
  | { method: "passkey"; response: AuthenticationCredential };

/** Errors that mean "the proof was wrong" (audited as a failed step-up), not "try later" or "bad request". */
const FAILED_PROOF = new Set(["invalid_code", "invalid_credentials", "invalid_challenge", "webauthn_verification_failed"]);

/**
 * Re-authenticates the signed-in user on their current session (RFC 9470's
 * "more recent authentication"): a good proof marks the session verified now
 * and adds the proof's methods to its `amr`.
 */
export async function stepUp(deps: CoreDeps, scope: TenantScope, auth: Authenticated, proof: StepUpProof): Promise<SessionRecord> {
  const amr = await prove(deps, scope, auth, proof).catch(async (error: unknown) => {
    if (error instanceof PlintoError && FAILED_PROOF.has(error.code)) {
      await recordAuditEvent(deps, scope, {
        type: "session.step_up_failed",
        actor: auth.actor,
        subjectId: auth.user.id,
        data: { session_id: auth.session.id, method: proof.method },
      });
    }
    throw error;
  });
  const now = deps.clock.now();
  const session = await deps.sessions.forUser(scope.tenant.id, auth.user.id).markVerified(auth.session.id, amr, now);
  if (!session) throw new PlintoError("invalid_token", { detail: "session has ended" });
  await recordAuditEvent(deps, scope, {
    type: "session.stepped_up",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { session_id: session.id, method: proof.method },
  });
  return session;
}

/** Checks the proof; returns the RFC 8176 methods it shows. */
async function prove(deps: CoreDeps, scope: TenantScope, auth: Authenticated, proof: StepUpProof): Promise<string[]> {
  switch (proof.method) {
    case "totp":
      return (await verifyTotp(deps, scope, auth.user, proof.code)).amr;
    case "recovery_code":
      return (await redeemRecoveryCode(deps, scope, auth.user, proof.code, auth.actor)).amr;
    case "passkey":
      return provePasskeyStepUp(deps, scope, auth, proof.response);
    case "password": {
      await enforceRateLimit(deps, scope, "step_up:account", auth.user.id, {
        limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_account,
        windowSeconds: 60,
      });
      const check = auth.user.passwordHash
        ? await deps.hasher.verify(auth.user.passwordHash, proof.password)
        : (await deps.hasher.verifyAgainstDummy(proof.password), { ok: false });
      if (!check.ok) throw new PlintoError("invalid_credentials", { detail: "password is incorrect" });
      return ["pwd"];
    }
  }
}
