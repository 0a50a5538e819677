import { type CryptoKey, importJWK, type JWK } from "jose";
import { PlintoError } from "../errors";
import type { SigningKey } from "../model";
import type { SigningKeyRepository } from "../ports/repositories";
import { keyVaultContext } from "./generate-signing-key";
import type { KeyVault } from "./key-vault";

/** How long an isolate trusts its copy of a tenant's key list. Revocation reaches other isolates within this. */
export const KEY_CACHE_TTL_MS = 5_000;
const MAX_IMPORTED_KEYS = 1_000;

interface CachedKeys {
  fetchedAt: number;
  active: SigningKey | null;
}

export interface Signer {
  kid: string;
  alg: SigningKey["alg"];
  privateKey: CryptoKey;
}

/**
 * Per-isolate caches of a tenant's signing keys. Imported CryptoKeys are kept
 * by kid (a kid's key material never changes); the active-key choice and key
 * status are re-read after KEY_CACHE_TTL_MS, and dropped at once in this
 * isolate when this isolate rotates or revokes.
 */
export class Keyring {
  private readonly activeByTenant = new Map<string, CachedKeys>();
  private readonly privateKeys = new Map<string, CryptoKey>();
  private readonly publicKeys = new Map<string, { fetchedAt: number; key: SigningKey | null; crypto: CryptoKey | null }>();

  async signer(repo: SigningKeyRepository, vault: KeyVault, tenantId: string, now: number): Promise<Signer> {
    let cached = this.activeByTenant.get(tenantId);
    if (!cached || now - cached.fetchedAt > KEY_CACHE_TTL_MS) {
      cached = { fetchedAt: now, active: await repo.getActive(tenantId) };
      this.activeByTenant.set(tenantId, cached);
    }
    const key = cached.active;
    if (!key) throw new PlintoError("internal_error", { detail: "tenant has no active signing key" });
    let privateKey = this.privateKeys.get(key.kid);
    if (!privateKey) {
      const jwk = JSON.parse(await vault.decrypt(key.privateJwkEncrypted, keyVaultContext(tenantId, key.kid))) as JWK;
      privateKey = (await importJWK(jwk, key.alg)) as CryptoKey;
      remember(this.privateKeys, key.kid, privateKey);
    }
    return { kid: key.kid, alg: key.alg, privateKey };
  }

  /** The published (active or retired, not revoked, not past its window) key for `kid`, or null. */
  async verificationKey(
    repo: SigningKeyRepository,
    tenantId: string,
    kid: string,
    now: number,
  ): Promise<{ key: SigningKey; crypto: CryptoKey } | null> {
    const cacheKey = `${tenantId}:${kid}`;
    let entry = this.publicKeys.get(cacheKey);
    if (!entry || now - entry.fetchedAt > KEY_CACHE_TTL_MS) {
      const key = await repo.getByKid(tenantId, kid);
      // A kid's material never changes: only its status is re-read, the imported key is kept.
      const crypto = key ? (entry?.crypto ?? ((await importJWK(key.publicJwk, key.alg)) as CryptoKey)) : null;
      entry = { fetchedAt: now, key, crypto };
      remember(this.publicKeys, cacheKey, entry);
    }
    if (!entry.key || !entry.crypto || !isPublished(entry.key, now)) return null;
    return { key: entry.key, crypto: entry.crypto };
  }

  /** Forget a tenant's cached key choices (after rotation or revocation in this isolate). */
  invalidate(tenantId: string): void {
    this.activeByTenant.delete(tenantId);
    for (const cacheKey of this.publicKeys.keys()) {
      if (cacheKey.startsWith(`${tenantId}:`)) this.publicKeys.delete(cacheKey);
    }
  }
}

export function isPublished(key: SigningKey, now: number): boolean {
  if (key.status === "active") return true;
  return key.status === "retired" && key.publishUntil !== null && now < key.publishUntil;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_IMPORTED_KEYS) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}
