import { checkClaims, checkTimes, type PlintoAccessTokenClaims, scopesOf, type VerifiedToken } from "./claims";
import { EdgeAuthError, type EdgeAuthErrorCode } from "./errors";
import { KeyIndex } from "./jwks/key-index";
import { loadJwks } from "./jwks/sources";
import type { KeyRecord, TenantKeysConfig } from "./jwks/tenant-keys";
import { resolveSettings, type VerifierOptions } from "./options";
import type { RevocationCounters } from "./revocation/revocation-store";
import { jwksSources, tenantDirectory, tenantFactory } from "./setup";
import { signatureVerifier } from "./signature";
import type { TenantState } from "./tenants";
import { TokenCache } from "./token-cache";

export interface VerifierStats extends RevocationCounters {
  /** Verifications answered by the per-isolate token cache (no signature check). */
  tokenCacheHits: number;
  tokenCacheSize: number;
  /** JWKS loads (each may read KV and/or fetch the JWKS URL). */
  jwksLoads: number;
}

export interface Verifier {
  /** Verifies a Plinto access token (the bare JWT, without "Bearer "); rejects with `EdgeAuthError`. */
  verifyAccessToken(token: string | null | undefined): Promise<VerifiedToken>;
  stats(): VerifierStats;
}

interface CachedToken {
  readonly verified: VerifiedToken;
  readonly record: KeyRecord;
}

/** Codes after which a cached token is dropped: it can never verify again. */
const FINAL: ReadonlySet<EdgeAuthErrorCode> = new Set(["token_expired", "session_revoked", "token_revoked", "key_revoked"]);

/** Results are shared by every verification of a token, so nothing in them may change (one level deep: `aud`, `amr`). */
function freezeVerified(claims: PlintoAccessTokenClaims, record: KeyRecord): VerifiedToken {
  if (typeof claims.aud === "object") Object.freeze(claims.aud);
  if (claims.amr) Object.freeze(claims.amr);
  const scopes = Object.freeze(scopesOf(claims));
  return Object.freeze({ claims: Object.freeze(claims), tenant: record.tenant.slug, kid: record.kid, alg: record.alg, scopes });
}

/** Revocation of the session, the token or its key; only a stale snapshot costs an await. */
function revocationChecked(tenant: TenantState, claims: PlintoAccessTokenClaims, kid: string, now: number): Promise<void> | undefined {
  const { revocation } = tenant;
  if (!revocation) return undefined;
  const refreshing = revocation.ready(now);
  if (!refreshing) {
    revocation.check(claims.sid, claims.jti, kid, now);
    return undefined;
  }
  return refreshing.then(() => revocation.check(claims.sid, claims.jti, kid, now));
}

/**
 * Creates a verifier for Plinto access tokens (RFC 9068 JWTs in RFC 7515
 * compact serialization). Create it once per isolate (module scope or
 * memoized), not per request: its key sets, revocation snapshots and token
 * cache live in it.
 */
export function createVerifier(options: VerifierOptions): Verifier {
  const settings = resolveSettings(options);
  const { now: clock, toleranceSeconds } = settings;
  const counters: VerifierStats = { sourceCalls: 0, cacheHits: 0, memoryHits: 0, tokenCacheHits: 0, tokenCacheSize: 0, jwksLoads: 0 };
  const tokens = new TokenCache<CachedToken>(settings.tokenCacheSize);
  const index = new KeyIndex();
  const sources = jwksSources(options, settings);
  const keysConfig: TenantKeysConfig = {
    ...settings.jwks,
    load: (tenant, now, wantedKid) => {
      counters.jwksLoads++;
      return loadJwks(sources, tenant, now, wantedKid);
    },
    onChange: (added, removed) => {
      index.update(added, removed);
      if (removed.length === 0) return;
      const gone = new Set(removed);
      tokens.deleteWhere((entry) => gone.has(entry.record));
    },
  };
  const directory = tenantDirectory(options, settings, tenantFactory(options, settings, keysConfig, counters));
  const verifySignature = signatureVerifier(index, directory, toleranceSeconds);

  async function verifyFirstSeen(token: string, now: number): Promise<VerifiedToken> {
    const { payload, record } = await verifySignature(token, now);
    const claims = checkClaims(payload, record.tenant.expected);
    checkTimes(claims, now, toleranceSeconds);
    const revocationCheck = revocationChecked(record.tenant, claims, record.kid, now);
    if (revocationCheck) await revocationCheck;
    if (!record.active) throw new EdgeAuthError("unknown_key");
    const verified = freezeVerified(claims, record);
    if (tokens.admits(token)) tokens.set(token, { verified, record });
    return verified;
  }

  /** A repeat token: no signature check, but its key, times and revocation are checked again. */
  async function verifyCached(token: string, entry: CachedToken, now: number): Promise<VerifiedToken> {
    const { record, verified } = entry;
    const { keys } = record.tenant;
    if (!keys.isFresh(now)) await keys.ensureFresh(now);
    if (!record.active) {
      tokens.delete(token);
      return verifyFirstSeen(token, now);
    }
    try {
      checkTimes(verified.claims, now, toleranceSeconds);
      const revocationCheck = revocationChecked(record.tenant, verified.claims, record.kid, now);
      if (revocationCheck) await revocationCheck;
    } catch (error) {
      if (error instanceof EdgeAuthError && FINAL.has(error.code)) tokens.delete(token);
      throw error;
    }
    counters.tokenCacheHits++;
    return verified;
  }

  return {
    verifyAccessToken(token) {
      if (typeof token !== "string" || token === "") return Promise.reject(new EdgeAuthError("token_missing"));
      if (token.length > settings.maxTokenLength) return Promise.reject(new EdgeAuthError("token_too_large"));
      const now = clock();
      const entry = tokens.get(token);
      return entry ? verifyCached(token, entry, now) : verifyFirstSeen(token, now);
    },
    stats: () => ({ ...counters, tokenCacheSize: tokens.size }),
  };
}
