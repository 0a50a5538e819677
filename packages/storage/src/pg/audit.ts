import { type AuditLog, type AuditQuery, PlintoError, sealAuditEvent } from "@plinto/core";
import { auditEvents } from "@plinto/schema/pg";
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import { chainedFromRow, chainedToRow, jsonNeedle, MAX_APPEND_ATTEMPTS, pseudonymisedColumns } from "../audit-rows";
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

/** The audit log on Postgres: a hash chain per tenant (docs/audit.md). */
export function pgAudit(db: PgDb): AuditLog {
  return {
    /**
     * Read the head, seal as head + 1, insert, in one transaction: Hyperdrive
     * may answer a lone SELECT from its cache, never one inside a transaction,
     * so the head is current. The unique (tenant_id, seq) index turns a lost
     * race into a retry (SQLSTATE 23505 aborts that transaction only).
     */
    async append(event) {
      for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
        try {
          await db.transaction(async (tx) => {
            const [current] = await tx
              .select({ seq: auditEvents.seq, hash: auditEvents.hash })
              .from(auditEvents)
              .where(and(eq(auditEvents.tenantId, event.tenantId), isNotNull(auditEvents.seq)))
              .orderBy(desc(auditEvents.seq))
              .limit(1);
            const link = await sealAuditEvent(event, current?.seq != null && current.hash ? { seq: current.seq, hash: current.hash } : null);
            await tx.insert(auditEvents).values(chainedToRow(event, link));
          });
          return;
        } catch (error) {
          if (!isUniqueViolation(error)) throw error;
        }
      }
      throw new PlintoError("conflict", { detail: "the audit log is busy; try again" });
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
