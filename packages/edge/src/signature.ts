import { type JWTPayload, jwtVerify } from "jose";
import { ACCESS_TOKEN_TYPE } from "./algorithms";
import { REQUIRED_CLAIMS } from "./claims";
import { EdgeAuthError, type EdgeAuthErrorCode } from "./errors";
import { fromJoseError } from "./jose-errors";
import type { KeyIndex } from "./jwks/key-index";
import type { KeyRecord } from "./jwks/tenant-keys";
import { type KeyAttempt, resolveKey } from "./key-resolution";
import type { TenantDirectory, TenantState } from "./tenants";

export interface SignatureCheck {
  payload: JWTPayload;
  record: KeyRecord;
}

/** Codes after which a key found by kid alone is looked for again in the tenant `iss` names. */
const RETRY_BY_ISSUER: ReadonlySet<EdgeAuthErrorCode> = new Set(["invalid_signature", "unknown_key", "unsupported_algorithm"]);

const newAttempt = (): KeyAttempt => ({ record: undefined, tenant: undefined, viaIndex: false });

function recordOf(attempt: KeyAttempt): KeyRecord {
  if (!attempt.record) throw new EdgeAuthError("unknown_key");
  return attempt.record;
}

/**
 * RFC 7515 §5.2 validation by jose's `jwtVerify` with the key the header's
 * `kid` names and only the algorithm registered for it (checked in
 * `resolveKey` before any crypto, RFC 8725 §3.1; jose's CryptoKey checks
 * refuse any other algorithm a second time). jose also checks `typ`
 * (RFC 9068 §4), `exp`/`nbf` with the tolerance, the presence of the required
 * claims (RFC 7519 §4.1) and refuses unknown `crit` parameters (RFC 7515 §4.1.11).
 * No `algorithms` list is passed: jose would rebuild it into a Set on every call.
 */
export function signatureVerifier(index: KeyIndex, directory: TenantDirectory, toleranceSeconds: number) {
  function attempt(token: string, now: number, tenant: TenantState | undefined, state: KeyAttempt) {
    const context = { index, directory, tenant, attempt: state };
    return jwtVerify(
      token,
      (header) => {
        const found = resolveKey(header, token, now, context);
        return found instanceof Promise ? found.then((record) => record.key) : found.key;
      },
      { typ: ACCESS_TOKEN_TYPE, requiredClaims: REQUIRED_CLAIMS as string[], clockTolerance: toleranceSeconds, currentDate: new Date(now) },
    );
  }

  function tenantNamedBy(token: string): TenantState {
    try {
      return directory.forToken(token);
    } catch (error) {
      throw fromJoseError(error);
    }
  }

  /** Origin mode: a kid shared with another loaded tenant is looked up again in the tenant `iss` names. */
  async function retryByIssuer(token: string, now: number, error: EdgeAuthError, first: KeyAttempt): Promise<SignatureCheck> {
    if (!(directory.multiTenant && first.viaIndex && RETRY_BY_ISSUER.has(error.code))) throw error;
    const named = tenantNamedBy(token);
    if (named === first.tenant) throw error;
    const state = newAttempt();
    try {
      const { payload } = await attempt(token, now, named, state);
      return { payload, record: recordOf(state) };
    } catch (retryError) {
      throw fromJoseError(retryError);
    }
  }

  return async function verifySignature(token: string, now: number): Promise<SignatureCheck> {
    const state = newAttempt();
    try {
      const { payload } = await attempt(token, now, undefined, state);
      return { payload, record: recordOf(state) };
    } catch (error) {
      return retryByIssuer(token, now, fromJoseError(error), state);
    }
  };
}
