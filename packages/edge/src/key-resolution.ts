import type { JWTHeaderParameters } from "jose";
import { EdgeAuthError } from "./errors";
import type { KeyIndex } from "./jwks/key-index";
import type { KeyRecord } from "./jwks/tenant-keys";
import type { TenantDirectory, TenantState } from "./tenants";

/**
 * Header parameters that point at key material outside the configured JWKS
 * (RFC 7515 §4.1.2-§4.1.6). They are never followed (RFC 8725 §3.10 warns
 * against fetching them); Plinto never issues them, so a token carrying one is refused.
 */
const FOREIGN_KEY_PARAMETERS = ["jku", "jwk", "x5u", "x5c"] as const;

/** What one verification attempt learned about its key, for the retry by issuer. */
export interface KeyAttempt {
  record: KeyRecord | undefined;
  tenant: TenantState | undefined;
  viaIndex: boolean;
}

/** RFC 8725 §3.1: the algorithm is the one registered for the key, never what the header would like. */
function forAlgorithm(record: KeyRecord, alg: string | undefined): KeyRecord {
  if (alg !== record.alg) throw new EdgeAuthError("unsupported_algorithm");
  return record;
}

/**
 * Finds the verification key for a token header: by `kid` (RFC 7515 §4.1.4)
 * in the index of loaded keys (no payload decoding), else in the key set of
 * `tenant` or of the tenant the token's `iss` names, reloading it when stale
 * or when the kid is unknown (subject to the cool-down). Returns synchronously
 * on the hot path.
 */
export function resolveKey(
  header: JWTHeaderParameters,
  token: string,
  now: number,
  context: { index: KeyIndex; directory: TenantDirectory; tenant: TenantState | undefined; attempt: KeyAttempt },
): KeyRecord | Promise<KeyRecord> {
  if (FOREIGN_KEY_PARAMETERS.some((parameter) => header[parameter] !== undefined)) {
    throw new EdgeAuthError("unknown_key", { detail: "Key references in the token header are not accepted" });
  }
  const { kid, alg } = header;
  if (typeof kid !== "string" || kid === "") throw new EdgeAuthError("unknown_key", { detail: "Access token names no key (kid)" });
  const { attempt } = context;
  const indexed = context.tenant ? undefined : context.index.unique(kid);
  attempt.viaIndex = indexed !== undefined;
  if (indexed?.tenant.keys.isFresh(now)) {
    attempt.tenant = indexed.tenant;
    attempt.record = forAlgorithm(indexed, alg);
    return attempt.record;
  }
  const tenant = context.tenant ?? indexed?.tenant ?? context.directory.forToken(token);
  attempt.tenant = tenant;
  return tenant.keys.find(kid, now).then((record) => {
    attempt.record = forAlgorithm(record, alg);
    return attempt.record;
  });
}
