import {
  type AuditChainLink,
  type AuditSeal, type AuditEvent, type AuditPseudonymisation, type ChainedAuditEvent, personalSeal, type UnsealedAuditEvent,
} from "@plinto/core";
import type { auditEvents } from "@plinto/schema/sqlite";
import { type AnyColumn, and, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { auditFromRow, auditToRow } from "./rows";

type AuditRow = typeof auditEvents.$inferSelect;

/** A row of the chain (seq set) with its link; rows written before the chain have no seq and are not returned. */
export function chainedFromRow(row: AuditRow): ChainedAuditEvent | null {
  if (row.seq === null || row.prevHash === null || row.hash === null || row.personalDigest === null) return null;
  const chain: AuditChainLink = {
    seq: row.seq,
    prevHash: row.prevHash,
    hash: row.hash,
    personalDigest: row.personalDigest,
    personalSalt: row.personalSalt,
  };
  return { ...auditFromRow(row), chain };
}

/** A new row as append writes it: personal digest and salt set, no link yet (seq, prev_hash, hash NULL). */
export async function unsealedToRow(event: AuditEvent): Promise<typeof auditEvents.$inferInsert> {
  const { personalDigest, personalSalt } = await personalSeal(event);
  return { ...auditToRow(event), seq: null, prevHash: null, hash: null, personalDigest, personalSalt };
}

/** An unsealed row with the digest stored at append; rows from before the chain (no digest) are not returned. */
export function unsealedFromRow(row: AuditRow): UnsealedAuditEvent | null {
  if (row.seq !== null || row.personalDigest === null) return null;
  return { ...auditFromRow(row), personalDigest: row.personalDigest };
}

/** The columns a pseudonymisation writes: the personal ones, and the salt (gone). */
export const pseudonymisedColumns = (replacement: AuditPseudonymisation) => ({
  actorId: replacement.actorId,
  subjectId: replacement.subjectId,
  ip: replacement.ip,
  userAgent: replacement.userAgent,
  data: JSON.stringify(replacement.data),
  personalSalt: null,
});

/** A string as it appears inside a stored `data` column (JSON escapes applied, no quotes), for LIKE. */
export const jsonNeedle = (text: string): string => JSON.stringify(text).slice(1, -1);

/** The audit table's columns the sealing conditions use (the SQLite and the Postgres table both fit). */
interface AuditColumns {
  id: AnyColumn;
  tenantId: AnyColumn;
  seq: AnyColumn;
  personalDigest: AnyColumn;
}

/** Rows appended but not sealed yet; rows from before the chain have no digest and stay outside it. */
export const unsealedOnly = (table: AuditColumns): SQL | undefined => and(isNull(table.seq), isNotNull(table.personalDigest));

/**
 * When one seal may be written: its row is still unsealed, and (past seq 1) the
 * row at seq - 1 holds the hash it links to. With the unique (tenant_id, seq)
 * index this makes every written link extend the one chain, whatever other
 * sealers do at the same time.
 */
export function sealCondition(table: AuditColumns, tenantId: string, seal: AuditSeal): SQL | undefined {
  const predecessor =
    seal.seq === 1
      ? undefined
      : sql`exists (select 1 from audit_events p where p.tenant_id = ${tenantId} and p.seq = ${seal.seq - 1} and p.hash = ${seal.prevHash})`;
  return and(eq(table.tenantId, tenantId), eq(table.id, seal.id), unsealedOnly(table), predecessor);
}
