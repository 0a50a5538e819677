import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { sendEmail } from "../email/send-email";
import { PlintoError } from "../errors";
import type { User } from "../model";
import type { Authenticated } from "../sessions/authenticate";
import { limitSecondFactorAttempts } from "./code-rate-limit";
import type { SecondFactorProof } from "./mfa-challenge";
import { secondFactorsOf } from "./second-factors";
import { requireRecentAuthentication } from "./step-up-guard";

export const RECOVERY_CODE_COUNT = 10;
/** Crockford base32: 32 symbols, no I L O U, so codes read aloud or copied by hand survive. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SYMBOLS = 12; // 60 bits each

/** Ten fresh codes, `XXXX-XXXX-XXXX`. 256 is a multiple of 32, so `byte & 31` is uniform. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const symbols = Array.from(crypto.getRandomValues(new Uint8Array(SYMBOLS)), (byte) => ALPHABET[byte & 31]).join("");
    return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
  });
}

/** Case, spaces and dashes do not matter; O/I/L read as 0/1/1 as Crockford base32 decodes them. */
export function normalizeRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/** Stored digest: SHA-256 salted with tenant and user, so equal codes of two users never share a row or a lookup. */
export const recoveryCodeDigest = (tenantId: string, userId: string, code: string): Promise<string> =>
  sha256(`recovery:${tenantId}:${userId}:${normalizeRecoveryCode(code)}`);

const digestsOf = (tenantId: string, userId: string, codes: string[]) =>
  Promise.all(codes.map((code) => recoveryCodeDigest(tenantId, userId, code)));

/** Fresh codes and their digests, for activation and regeneration. */
export async function mintRecoveryCodes(tenantId: string, userId: string): Promise<{ codes: string[]; hashes: string[] }> {
  const codes = newRecoveryCodes();
  return { codes, hashes: await digestsOf(tenantId, userId, codes) };
}

/**
 * Spends one recovery code (one conditional DELETE, so it works exactly once),
 * audits it and tells the user by email (template `recovery_code_used`). Throws 401 `invalid_code` otherwise.
 */
export async function redeemRecoveryCode(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  code: string,
  actor: Actor = { type: "anonymous" },
): Promise<SecondFactorProof> {
  await limitSecondFactorAttempts(deps, scope, user.id);
  const spent = await deps.storage.recoveryCodes.consume(scope.tenant.id, user.id, await recoveryCodeDigest(scope.tenant.id, user.id, code));
  if (!spent) throw new PlintoError("invalid_code");
  const remaining = await deps.storage.recoveryCodes.count(scope.tenant.id, user.id);
  await recordAuditEvent(deps, scope, {
    type: "mfa.recovery_code_used",
    actor,
    subjectId: user.id,
    data: { remaining },
  });
  // Tell the owner at once: an attacker holding the password and a stolen code would otherwise go unnoticed.
  // After the response, so a mail outage never locks out a user who is recovering.
  await afterResponse(scope, () => sendEmail(deps, scope, "recovery_code_used", user.email, { remaining_codes: remaining }));
  // RFC 8176 has no method value for pre-generated backup codes: "otp" names RFC 4226/6238 generators and
  // "kba" knowledge questions, so a recovery code adds no method of its own (the challenge adds "mfa").
  return { amr: [] };
}

/** Replaces the user's codes with ten new ones (shown once). Needs a second factor and a recent authentication. */
export async function regenerateRecoveryCodes(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<string[]> {
  requireRecentAuthentication(deps, scope, auth);
  const factors = await secondFactorsOf(deps, scope, auth.user);
  if (!factors.some((kind) => kind !== "recovery_code")) {
    throw new PlintoError("conflict", { detail: "enrol a second factor before creating recovery codes" });
  }
  const { codes, hashes } = await mintRecoveryCodes(scope.tenant.id, auth.user.id);
  await deps.storage.recoveryCodes.replaceAll(scope.tenant.id, auth.user.id, hashes, deps.clock.now());
  await recordAuditEvent(deps, scope, {
    type: "mfa.recovery_codes_regenerated",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { count: codes.length },
  });
  return codes;
}
