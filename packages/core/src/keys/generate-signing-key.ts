import type { SigningAlgorithm } from "@plinto/contracts";
import { exportJWK, generateKeyPair } from "jose";
import type { SigningKey } from "../model";
import type { KeyVault } from "./key-vault";

/** AAD for a private key's ciphertext: tenant and kid. */
export const keyVaultContext = (tenantId: string, kid: string): string => `${tenantId}:${kid}`;

/** RS256 uses 2048-bit RSA (RFC 7518 §3.3 minimum); ES256 P-256; EdDSA Ed25519 (RFC 8037). */
export async function generateSigningKey(input: {
  tenantId: string;
  kid: string;
  alg: SigningAlgorithm;
  now: number;
  vault: KeyVault;
}): Promise<SigningKey> {
  const options = input.alg === "EdDSA" ? { crv: "Ed25519", extractable: true } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(input.alg, options);
  const publicJwk = { ...(await exportJWK(publicKey)), kid: input.kid, alg: input.alg, use: "sig" };
  const privateJwk = await exportJWK(privateKey);
  return {
    kid: input.kid,
    tenantId: input.tenantId,
    alg: input.alg,
    status: "active",
    publicJwk,
    privateJwkEncrypted: await input.vault.encrypt(JSON.stringify(privateJwk), keyVaultContext(input.tenantId, input.kid)),
    createdAt: input.now,
    retiredAt: null,
    publishUntil: null,
  };
}
