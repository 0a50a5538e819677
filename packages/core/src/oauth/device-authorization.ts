import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import { randomSecret, sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OAuthClient } from "../ports/oauth-repositories";
import type { OneTimeToken } from "../ports/one-time-tokens";
import { enforceRateLimit } from "../sessions/rate-limits";
import { assertGrantAllowed } from "./clients/client-policy";
import {
  DEVICE_CODE_EXPIRED_GRACE_MS,
  DEVICE_CODE_TTL_SECONDS,
  DEVICE_POLL_INTERVAL_SECONDS,
  type DeviceCodeRecord,
  type DeviceDecision,
  deviceCodeData,
  readDeviceCode,
  readUserCodeTarget,
} from "./device-code-record";
import { providerEndpoints } from "./endpoints";
import { resolveRequestedAccess } from "./scopes";
import { displayUserCode, newUserCode, normaliseUserCode, userCodeRowId } from "./user-code";

export const DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** RFC 8628 §3.2 Device Authorization Response. */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** Look-ups of user codes per client IP (RFC 8628 §5.1: bound brute-force guessing of the short code). */
const USER_CODE_LOOKUPS = { limit: 20, windowSeconds: 600 };
/** Device authorizations one client may start from one IP (a public client is named by anyone, so per IP too). */
const STARTS_PER_CLIENT_IP = { limit: 30, windowSeconds: 600 };
/** Draws of a fresh user code that collided with a live one before giving up (a collision is ~1 in 2^34 per live code). */
const USER_CODE_DRAWS = 5;

/**
 * RFC 8628 §3.1-3.2: the client (already authenticated by its registered
 * method) asks for a device code. Scope and resources are resolved now,
 * exactly as for an authorization request, so the user approves what the
 * tokens will carry.
 */
export async function startDeviceAuthorization(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  requested: { scope: string | null; resources: string[] },
): Promise<DeviceAuthorizationResponse> {
  assertGrantAllowed(client, DEVICE_CODE_GRANT);
  const access = resolveRequestedAccess(scope, client, requested);
  await enforceRateLimit(deps, scope, "device_authorization:client_ip", `${client.id}:${scope.request.ip ?? "unknown"}`, STARTS_PER_CLIENT_IP);
  const now = deps.clock.now();
  const expiresAt = now + DEVICE_CODE_TTL_SECONDS * 1000;
  const deviceCode = randomSecret(32);
  const deviceCodeId = await sha256(deviceCode);
  const { userCode, userCodeId } = await reserveUserCode(deps, scope, deviceCodeId, now, expiresAt);
  const record: DeviceCodeRecord = { clientId: client.id, ...access, userCodeId, expiresAt, decision: null };
  await deps.storage.oneTimeTokens.put(row(scope, "oauth_device_code", deviceCodeId, deviceCodeData(record), now, expiresAt + DEVICE_CODE_EXPIRED_GRACE_MS));
  const verification = providerEndpoints(scope.issuer).deviceVerification;
  const shown = displayUserCode(userCode);
  return {
    device_code: deviceCode,
    user_code: shown,
    verification_uri: verification,
    verification_uri_complete: `${verification}?user_code=${shown}`,
    expires_in: DEVICE_CODE_TTL_SECONDS,
    interval: DEVICE_POLL_INTERVAL_SECONDS,
  };
}

/** Stores a fresh user code pointing at the device code; a code already live is never reused. */
async function reserveUserCode(deps: CoreDeps, scope: TenantScope, deviceCodeId: string, now: number, expiresAt: number) {
  for (let draw = 0; draw < USER_CODE_DRAWS; draw += 1) {
    const userCode = newUserCode();
    const userCodeId = await userCodeRowId(scope.tenant.id, userCode);
    const stored = await deps.storage.oneTimeTokens.insertIfAbsent(row(scope, "oauth_user_code", userCodeId, { deviceCodeId }, now, expiresAt));
    if (stored) return { userCode, userCodeId };
  }
  throw new PlintoError("internal_error", { detail: "no free user code" });
}

function row(scope: TenantScope, purpose: OneTimeToken["purpose"], id: string, data: Record<string, unknown>, now: number, expiresAt: number): OneTimeToken {
  return { id, tenantId: scope.tenant.id, purpose, subject: null, codeHash: null, attempts: 0, data, createdAt: now, expiresAt };
}

/** A pending device authorization behind a typed user code, or null. Every look-up counts against the IP's budget. */
async function findPending(deps: CoreDeps, scope: TenantScope, typed: string) {
  await enforceRateLimit(deps, scope, "device_user_code:ip", scope.request.ip, USER_CODE_LOOKUPS);
  const code = normaliseUserCode(typed);
  if (code === null) return null;
  const now = deps.clock.now();
  const userCodeId = await userCodeRowId(scope.tenant.id, code);
  const userCodeRow = await deps.storage.oneTimeTokens.peek(scope.tenant.id, "oauth_user_code", userCodeId, now);
  const deviceCodeId = userCodeRow ? readUserCodeTarget(userCodeRow) : null;
  if (deviceCodeId === null) return null;
  const deviceRow = await deps.storage.oneTimeTokens.peek(scope.tenant.id, "oauth_device_code", deviceCodeId, now);
  const record = deviceRow ? readDeviceCode(deviceRow) : null;
  if (!deviceRow || !record || record.decision !== null || now >= record.expiresAt || record.userCodeId !== userCodeId) return null;
  return { userCodeId, deviceRow, record };
}

/** The /device page: looks up a pending user code (normalised: upper case, dashes/spaces dropped). */
export async function describeUserCode(
  deps: CoreDeps,
  scope: TenantScope,
  userCode: string,
): Promise<{ client: OAuthClient; scope: string } | null> {
  const pending = await findPending(deps, scope, userCode);
  if (!pending) return null;
  const client = await deps.storage.oauthClients.get(scope.tenant.id, pending.record.clientId);
  return client ? { client, scope: pending.record.scope } : null;
}

/**
 * Approves or denies (user clicked Allow/Deny on /device) the device code
 * behind userCode. The user code is consumed first, so of two racing
 * decisions exactly one lands; the device code row then carries the decision
 * until the device's next poll consumes it (grants/device-code.ts).
 * Throws `invalid_code` when the code is unknown, expired or already decided.
 */
export async function decideDeviceAuthorization(deps: CoreDeps, scope: TenantScope, userCode: string, decision: DeviceDecision): Promise<void> {
  const pending = await findPending(deps, scope, userCode);
  const gone = () => new PlintoError("invalid_code", { detail: "the code is unknown, expired or already used" });
  if (!pending) throw gone();
  const now = deps.clock.now();
  const consumed = await deps.storage.oneTimeTokens.consume(scope.tenant.id, "oauth_user_code", pending.userCodeId, now);
  if (!consumed) throw gone();
  const record: DeviceCodeRecord = { ...pending.record, decision };
  // Only this request holds the user code now, and a poll never writes the row, so this replace loses nothing.
  await deps.storage.oneTimeTokens.put({
    ...pending.deviceRow,
    subject: decision.approved ? decision.userId : null,
    data: deviceCodeData(record),
  });
  await afterResponse(scope, () =>
    recordAuditEvent(deps, scope, {
      type: decision.approved ? "oauth.device_approved" : "oauth.device_denied",
      actor: { type: "anonymous" },
      subjectId: decision.approved ? decision.userId : null,
      data: { client_id: record.clientId, scope: record.scope, ...(decision.approved && decision.loginSessionId !== null ? { login_session_id: decision.loginSessionId } : {}) },
    }),
  );
}
