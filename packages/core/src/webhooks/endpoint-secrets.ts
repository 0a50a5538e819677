import type { KeyVault } from "../keys/key-vault";
import type { WebhookEndpoint } from "./model";

/** AES-GCM additional data: a ciphertext only opens on its own endpoint row. */
export const endpointSecretContext = (tenantId: string, endpointId: string): string => `webhook_endpoint:${tenantId}:${endpointId}`;

/** The secrets that sign a delivery now: the current one, plus the previous one inside its overlap window. */
export async function signingSecrets(vault: KeyVault, endpoint: WebhookEndpoint, now: number): Promise<string[]> {
  const context = endpointSecretContext(endpoint.tenantId, endpoint.id);
  const secrets = [await vault.decrypt(endpoint.secretEncrypted, context)];
  if (endpoint.previousSecretEncrypted && endpoint.previousSecretExpiresAt !== null && now < endpoint.previousSecretExpiresAt) {
    secrets.push(await vault.decrypt(endpoint.previousSecretEncrypted, context));
  }
  return secrets;
}
