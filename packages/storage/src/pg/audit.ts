import type { AuditLog, AuditQuery } from "@plinto/core";
import { auditEvents, tenants } from "@plinto/schema/pg";
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { chainedFromRow, jsonNeedle, pseudonymisedColumns, sealCondition, unsealedFromRow, unsealedOnly, unsealedToRow } from "../audit-rows";
import { isUniqueViolation } from "../errors";
import { auditFromRow, likeContains, pageOf } from "../rows";
import type { PgDb } from "./db";

function filters(query: AuditQuery): SQL[] {
  const conditions: SQL[] = [eq(auditEvents.tenantId, query.tenantId)];
  if (query.afterId) conditions.push(lt(auditEvents.id, query.afterId));
  if (query.type) conditions.push(eq(auditEvents.type, query.type));
  if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
  if (query.subjectId) conditions.push(eq(auditEvents.subjectId, query.subjectId));
  if (query.from !== undefined) conditions.push(gte(auditEvents.createdAt, query.from));
  if (query.to !== undefined) conditions.push(lt(auditEvents.createdAt, query.to));
  return conditions;
}

/**
 * The audit log on Postgres: unsealed appends, sealed into a hash chain per
 * tenant (docs/audit.md). Reads the sealer depends on run inside a transaction:
 * Hyperdrive may answer a lone SELECT from its cache, never one inside a transaction.
 */
export function pgAudit(db: PgDb): AuditLog {
  return {
    async append(event) {
      await db.insert(auditEvents).values(await unsealedToRow(event));
    },
    async unsealed(tenantId, limit) {
      return db.transaction(async (tx) => {
        const [top] = await tx
          .select({ seq: auditEvents.seq, hash: auditEvents.hash })
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), isNotNull(auditEvents.seq)))
          .orderBy(desc(auditEvents.seq))
          .limit(1);
        const rows = await tx
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), unsealedOnly(auditEvents)))
          .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
          .limit(limit);
        return {
          head: top?.seq != null && top.hash !== null ? { seq: top.seq, hash: top.hash } : null,
          rows: rows.flatMap((row) => unsealedFromRow(row) ?? []),
        };
      });
    },
    /**
     * One autocommitted guarded update per link, in order, stopping at the first
     * that does not take. No transaction: two sealers locking rows in different
     * orders could deadlock, and each update is safe alone (sealCondition).
     */
    async seal(tenantId, seals) {
      let written = 0;
      for (const seal of seals) {
        try {
          const taken = await db
            .update(auditEvents)
            .set({ seq: seal.seq, prevHash: seal.prevHash, hash: seal.hash })
            .where(sealCondition(auditEvents, tenantId, seal))
            .returning({ id: auditEvents.id });
          if (taken.length === 0) return written;
        } catch (error) {
          if (isUniqueViolation(error)) return written;
          throw error;
        }
        written += 1;
      }
      return written;
    },
    async countUnsealed(tenantId) {
      return db.transaction(async (tx) => {
        const [row] = await tx.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.tenantId, tenantId), unsealedOnly(auditEvents)));
        return row?.n ?? 0;
      });
    },
    /** Walks tenants and probes each through the (tenant_id, seq) index, rather than scanning every audit row. */
    async tenantsWithUnsealed(limit) {
      return db.transaction(async (tx) => {
        const rows = await tx
          .select({ id: tenants.id })
          .from(tenants)
          .where(sql`exists (select 1 from audit_events a where a.tenant_id = ${tenants.id} and a.seq is null and a.personal_digest is not null)`)
          .limit(limit);
        return rows.map((row) => row.id);
      });
    },
    async list(query) {
      const rows = await db.select().from(auditEvents).where(and(...filters(query))).orderBy(desc(auditEvents.id)).limit(query.limit + 1);
      return pageOf(rows, query.limit, auditFromRow);
    },
    async chain(tenantId, afterSeq, limit) {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, afterSeq)))
        .orderBy(asc(auditEvents.seq))
        .limit(limit);
      return rows.flatMap((row) => chainedFromRow(row) ?? []);
    },
    async listMentioning(tenantId, ids, needles, afterId, limit) {
      const mentions: SQL[] = [
        ...(ids.length > 0 ? [inArray(auditEvents.actorId, ids), inArray(auditEvents.subjectId, ids)] : []),
        ...needles.map((needle) => sql`${auditEvents.data} LIKE ${likeContains(jsonNeedle(needle))} ESCAPE '\\'`),
      ];
      if (mentions.length === 0) return { items: [], nextAfterId: null };
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), afterId ? gt(auditEvents.id, afterId) : undefined, or(...mentions)))
        .orderBy(asc(auditEvents.id))
        .limit(limit + 1);
      return pageOf(rows, limit, auditFromRow);
    },
    async pseudonymise(tenantId, id, replacement) {
      await db
        .update(auditEvents)
        .set(pseudonymisedColumns(replacement))
        .where(and(eq(auditEvents.tenantId, tenantId), eq(auditEvents.id, id)));
    },
  };
}
