import { importJWK, type JWK } from "jose";
import { isAllowedAlgorithm } from "../algorithms";

/** One verification key from a JWK Set, imported once and reused while its material is unchanged. */
export interface ImportedKey {
  readonly kid: string;
  /** The only algorithm this key verifies (RFC 8725 §3.1). */
  readonly alg: string;
  readonly key: CryptoKey;
  /** The JWK as published; a kid whose material changes is a different key. */
  readonly fingerprint: string;
}

interface CandidateJwk {
  kid: string;
  alg: string;
  jwk: JWK;
  fingerprint: string;
}

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k", "priv"];

/**
 * The keys of an RFC 7517 §5 JWK Set a verifier may use: each names its `kid`
 * and an asymmetric `alg` (RFC 7517 §4.4, §4.5), is meant for signatures
 * (`use` "sig" or absent, RFC 7517 §4.2; `key_ops` allowing "verify", §4.3)
 * and is public. A kid listed twice is ambiguous and dropped (RFC 7517 §4.5).
 */
export function candidateKeys(keys: readonly unknown[]): CandidateJwk[] {
  const byKid = new Map<string, CandidateJwk | null>();
  for (const value of keys) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const jwk = value as JWK;
    if (typeof jwk.kid !== "string" || jwk.kid === "" || !isAllowedAlgorithm(jwk.alg)) continue;
    if (jwk.kty === "oct" || PRIVATE_MEMBERS.some((member) => member in jwk)) continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes("verify"))) continue;
    byKid.set(jwk.kid, byKid.has(jwk.kid) ? null : { kid: jwk.kid, alg: jwk.alg, jwk, fingerprint: JSON.stringify(jwk) });
  }
  return [...byKid.values()].filter((candidate): candidate is CandidateJwk => candidate !== null);
}

/** RFC 7518 §3.3 / §3.5: RSA keys shorter than 2048 bits are refused at import, not at verification. */
function strongEnough(alg: string, key: CryptoKey): boolean {
  if (!alg.startsWith("RS") && !alg.startsWith("PS")) return true;
  const { modulusLength } = key.algorithm as { modulusLength?: number };
  return typeof modulusLength === "number" && modulusLength >= 2048;
}

/** Imports a candidate with jose for its own `alg`; null when the JWK is unusable (wrong kty for alg, bad material). */
export async function importKey(candidate: CandidateJwk): Promise<ImportedKey | null> {
  try {
    const key = await importJWK(candidate.jwk, candidate.alg);
    if (key instanceof Uint8Array || key.type !== "public" || !strongEnough(candidate.alg, key)) return null;
    return { kid: candidate.kid, alg: candidate.alg, key, fingerprint: candidate.fingerprint };
  } catch {
    return null;
  }
}
