import type { CoreDeps } from "../deps";
import type { TotpFactor } from "../ports/mfa-repositories";

/** Additional authenticated data of a TOTP secret's ciphertext: binds it to its tenant and factor row. */
export const totpSecretContext = (tenantId: string, factorId: string): string => `totp:${tenantId}:${factorId}`;

export const sealTotpSecret = (deps: CoreDeps, tenantId: string, factorId: string, secret: string): Promise<string> =>
  deps.vault.encrypt(secret, totpSecretContext(tenantId, factorId));

export const openTotpSecret = (deps: CoreDeps, factor: TotpFactor): Promise<string> =>
  deps.vault.decrypt(factor.secretEncrypted, totpSecretContext(factor.tenantId, factor.id));
