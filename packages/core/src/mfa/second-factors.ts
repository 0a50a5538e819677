import type { CoreDeps, TenantScope } from "../deps";
import type { User } from "../model";
import type { SecondFactorKind } from "../sessions/complete-sign-in";

/** What second factors a user holds. */
export interface SecondFactorInventory {
  totp: "none" | "pending" | "active";
  passkeys: number;
  recoveryCodes: number;
}

export async function secondFactorInventory(deps: CoreDeps, scope: TenantScope, userId: string): Promise<SecondFactorInventory> {
  const [totp, recoveryCodes, passkeys] = await Promise.all([
    deps.storage.totpFactors.getForUser(scope.tenant.id, userId),
    deps.storage.recoveryCodes.count(scope.tenant.id, userId),
    countPasskeys(deps, scope, userId),
  ]);
  return { totp: totp?.status ?? "none", passkeys, recoveryCodes };
}

/** Passkeys answer an MFA challenge too (POST /sessions/mfa/passkey, packages/core/src/passkeys/second-factor.ts). */
function countPasskeys(deps: CoreDeps, scope: TenantScope, userId: string): Promise<number> {
  return deps.storage.passkeys.countForUser(scope.tenant.id, userId);
}

/**
 * The factors a user can answer an MFA challenge with. Recovery codes are a
 * fallback for a real factor (TOTP, passkey), never a factor on their own: a
 * user with codes but no factor left has nothing to recover.
 */
export function answerableFactors(inventory: SecondFactorInventory): SecondFactorKind[] {
  const factors: SecondFactorKind[] = [];
  if (inventory.totp === "active") factors.push("totp");
  if (inventory.passkeys > 0) factors.push("passkey");
  if (factors.length > 0 && inventory.recoveryCodes > 0) factors.push("recovery_code");
  return factors;
}

/** The second factors `user` can sign in with; empty when the user has none. */
export async function secondFactorsOf(deps: CoreDeps, scope: TenantScope, user: User): Promise<SecondFactorKind[]> {
  return answerableFactors(await secondFactorInventory(deps, scope, user.id));
}
