import type { SessionRecord } from "../../packages/core/src/ports/session-store";

/** A row of the `sessions` table as SQLite returns it. */
export type SessionRow = {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  idle_expires_at: number;
  ip: string | null;
  user_agent: string | null;
  /** JSON array of RFC 8176 method references. */
  amr: string;
  /** Last sign-in or step-up; NULL in rows written before the column existed (then `created_at` stands in). */
  verified_at: number | null;
  /** Active organization; NULL when none (and in rows written before the column existed). */
  organization_id: string | null;
  revoked_at: number | null;
  revoke_reason: string | null;
};

export function toRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    expiresAt: row.expires_at,
    idleExpiresAt: row.idle_expires_at,
    ip: row.ip,
    userAgent: row.user_agent,
    amr: parseAmr(row.amr),
    verifiedAt: row.verified_at ?? row.created_at,
    organizationId: row.organization_id ?? null,
    revokedAt: row.revoked_at,
    revokeReason: row.revoke_reason,
  };
}

export function serializeAmr(amr: readonly string[]): string {
  return JSON.stringify(amr);
}

export function parseAmr(text: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string");
}

/** Active means not revoked and before both the absolute and the idle end. */
export function isActive(row: SessionRow, now: number): boolean {
  return row.revoked_at === null && now < row.expires_at && now < row.idle_expires_at;
}
