import type { AuditChainLink, AuditEvent, AuditPseudonymisation, ChainedAuditEvent } from "@plinto/core";
import type { auditEvents } from "@plinto/schema/sqlite";
import { auditFromRow, auditToRow } from "./rows";

/** How often an append re-reads the head after losing a race for the next seq before giving up. */
export const MAX_APPEND_ATTEMPTS = 64;

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

export const chainedToRow = (event: AuditEvent, link: AuditChainLink): typeof auditEvents.$inferInsert => ({
  ...auditToRow(event),
  seq: link.seq,
  prevHash: link.prevHash,
  hash: link.hash,
  personalDigest: link.personalDigest,
  personalSalt: link.personalSalt,
});

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
