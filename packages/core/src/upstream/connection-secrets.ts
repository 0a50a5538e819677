import type { KeyVault } from "../keys/key-vault";
import type { UpstreamConnection } from "../ports/oauth-repositories";
import { appleClientSecret } from "./apple-client-secret";

/**
 * Vault contexts of a connection's secrets: the ciphertext opens only for this
 * tenant, connection and field, so a value copied to another row stays shut.
 */
export const clientSecretContext = (tenantId: string, connectionId: string): string => `upstream:${tenantId}:${connectionId}:client_secret`;
export const applePrivateKeyContext = (tenantId: string, connectionId: string): string => `upstream:${tenantId}:${connectionId}:apple_private_key`;

/** `options` key holding the vault ciphertext of Apple's .p8 key; never shown by the API. */
export const APPLE_PRIVATE_KEY_OPTION = "private_key_encrypted";

/**
 * The client secret sent to the token endpoint: the stored one, opened with the
 * vault, or for Apple a fresh ES256 JWT signed with the team's key; null for a
 * connection without one (a public client using PKCE only).
 */
export async function clientSecretFor(vault: KeyVault, connection: UpstreamConnection, now: number): Promise<string | null> {
  if (connection.kind === "apple") {
    const sealed = connection.options[APPLE_PRIVATE_KEY_OPTION];
    if (typeof sealed !== "string") return null;
    const privateKey = await vault.decrypt(sealed, applePrivateKeyContext(connection.tenantId, connection.id));
    return appleClientSecret({
      teamId: String(connection.options.team_id ?? ""),
      keyId: String(connection.options.key_id ?? ""),
      clientId: connection.clientId,
      privateKeyPem: privateKey,
      now,
    });
  }
  if (!connection.clientSecretEncrypted) return null;
  return vault.decrypt(connection.clientSecretEncrypted, clientSecretContext(connection.tenantId, connection.id));
}
