import type { OneTimeToken } from "../ports/one-time-tokens";

/** RFC 8628 §3.2 expires_in: how long the user has to approve. */
export const DEVICE_CODE_TTL_SECONDS = 600;
/** RFC 8628 §3.2 interval: the least time between two polls of the token endpoint. */
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
/**
 * The device-code row outlives `expires_in` by this much, so a device that
 * polls late hears `expired_token` (RFC 8628 §3.5) rather than `invalid_grant`.
 */
export const DEVICE_CODE_EXPIRED_GRACE_MS = 10 * 60_000;

/** What the user decided on the /device page. */
export type DeviceDecision =
  | { approved: true; userId: string; amr: string[]; authTime: number; loginSessionId: string | null }
  | { approved: false };

/**
 * One device authorization (RFC 8628 §3.1), stored as a one-time token of
 * purpose `oauth_device_code` keyed by SHA-256 of the device_code. Its user
 * code is a row of purpose `oauth_user_code` (see user-code.ts) naming this
 * row. The device's poll consumes this row once the user decided, so tokens
 * are issued exactly once.
 */
export interface DeviceCodeRecord {
  clientId: string;
  /** Granted scope, resolved when the device asked (RFC 6749 §3.3). */
  scope: string;
  /** Resource indicators (RFC 8707) granted with it. */
  resources: string[];
  /** Row id of the user code, so the user code row can be found from here. */
  userCodeId: string;
  /** End of `expires_in` (ms); the row itself lives DEVICE_CODE_EXPIRED_GRACE_MS longer. */
  expiresAt: number;
  /** Null while the user has not decided. */
  decision: DeviceDecision | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");

function readDecision(value: unknown): DeviceDecision | null {
  if (!isRecord(value)) return null;
  if (value.approved === false) return { approved: false };
  const { userId, amr, authTime, loginSessionId } = value;
  if (value.approved !== true || typeof userId !== "string" || !isStringArray(amr) || typeof authTime !== "number") return null;
  return { approved: true, userId, amr, authTime, loginSessionId: typeof loginSessionId === "string" ? loginSessionId : null };
}

/** The record a row holds; null when the row is not a well-formed device code (never trust stored JSON blindly). */
export function readDeviceCode(row: OneTimeToken): DeviceCodeRecord | null {
  const { clientId, scope, resources, userCodeId, expiresAt, decision } = row.data;
  if (typeof clientId !== "string" || typeof scope !== "string" || !isStringArray(resources)) return null;
  if (typeof userCodeId !== "string" || typeof expiresAt !== "number") return null;
  return { clientId, scope, resources, userCodeId, expiresAt, decision: readDecision(decision) };
}

/** The row data of a record (plain JSON). */
export function deviceCodeData(record: DeviceCodeRecord): Record<string, unknown> {
  return { ...record, decision: record.decision === null ? null : { ...record.decision } };
}

/** The device-code row id a user-code row points at. */
export function readUserCodeTarget(row: OneTimeToken): string | null {
  const { deviceCodeId } = row.data;
  return typeof deviceCodeId === "string" ? deviceCodeId : null;
}
