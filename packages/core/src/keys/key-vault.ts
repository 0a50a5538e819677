import { fromBase64url, toBase64url, utf8 } from "../crypto/encoding";

/**
 * Encrypts tenant private keys at rest with AES-256-GCM. The key is derived
 * with HKDF-SHA256 (RFC 5869) from the KEY_ENCRYPTION_SECRET binding; the
 * additional authenticated data binds each ciphertext to its tenant and kid, so
 * a ciphertext copied to another row does not decrypt.
 */
export interface KeyVault {
  encrypt(plaintext: string, context: string): Promise<string>;
  decrypt(ciphertext: string, context: string): Promise<string>;
}

const HKDF_INFO = "plinto signing-key encryption v1";

export async function createKeyVault(secret: string): Promise<KeyVault> {
  if (secret.length < 32) throw new Error("KEY_ENCRYPTION_SECRET must be at least 32 characters");
  const material = await crypto.subtle.importKey("raw", utf8(secret), "HKDF", false, ["deriveKey"]);
  const key = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: utf8(HKDF_INFO) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
  return {
    async encrypt(plaintext, context) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const sealed = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: utf8(context) },
        key,
        utf8(plaintext),
      );
      return `${toBase64url(iv)}.${toBase64url(new Uint8Array(sealed))}`;
    },
    async decrypt(ciphertext, context) {
      const [iv, sealed] = ciphertext.split(".");
      if (!iv || !sealed) throw new Error("malformed ciphertext");
      const opened = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: fromBase64url(iv), additionalData: utf8(context) },
        key,
        fromBase64url(sealed),
      );
      return new TextDecoder().decode(opened);
    },
  };
}
