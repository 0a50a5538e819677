import type { Passkey } from "@plinto/core";

/** What the API shows of a passkey: never the public key or the signature counter. */
export const passkeyView = (passkey: Passkey) => ({
  id: passkey.id,
  name: passkey.name,
  credential_id: passkey.credentialId,
  device_type: passkey.deviceType,
  backed_up: passkey.backedUp,
  transports: passkey.transports,
  aaguid: passkey.aaguid,
  created_at: new Date(passkey.createdAt).toISOString(),
  last_used_at: passkey.lastUsedAt === null ? null : new Date(passkey.lastUsedAt).toISOString(),
});
