import type { AuditLog, AuditQuery, AuditSeal } from "@plinto/core";
import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { auditEvents, tenants } from "@plinto/schema/sqlite";
import { chainedFromRow, jsonNeedle, pseudonymisedColumns, sealCondition, unsealedFromRow, unsealedToRow, unsealedOnly } from "../audit-rows";
import { auditFromRow, isUniqueViolation, likeContains, pageOf } from "./rows";

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

/** The audit log on D1: unsealed appends, sealed into a hash chain per tenant (docs/audit.md). */
export function d1Audit(db: DrizzleD1Database): AuditLog {
  const sealOne = (tenantId: string, seal: AuditSeal) =>
    db
      .update(auditEvents)
      .set({ seq: seal.seq, prevHash: seal.prevHash, hash: seal.hash })
      .where(sealCondition(auditEvents, tenantId, seal))
      .returning({ id: auditEvents.id });
  return {
    async append(event) {
      await db.insert(auditEvents).values(await unsealedToRow(event));
    },
    /** One batch, so the head and the rows come from the same moment. */
    async unsealed(tenantId, limit) {
      const [heads, rows] = await db.batch([
        db
          .select({ seq: auditEvents.seq, hash: auditEvents.hash })
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), isNotNull(auditEvents.seq)))
          .orderBy(desc(auditEvents.seq))
          .limit(1),
        db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.tenantId, tenantId), unsealedOnly(auditEvents)))
          .orderBy(asc(auditEvents.createdAt), asc(auditEvents.id))
          .limit(limit),
      ]);
      const [top] = heads;
      return {
        head: top?.seq != null && top.hash !== null ? { seq: top.seq, hash: top.hash } : null,
        rows: rows.flatMap((row) => unsealedFromRow(row) ?? []),
      };
    },
    /**
     * All links in one batch (one round trip, one transaction). Each update is
     * guarded by its predecessor's hash, so once one does not take, none after
     * it can; a taken seq fails the unique index and rolls the batch back.
     */
    async seal(tenantId, seals) {
      const [first, ...rest] = seals.map((seal) => sealOne(tenantId, seal));
      if (!first) return 0;
      try {
        const results = await db.batch([first, ...rest]);
        const taken = results.findIndex((result) => result.length === 0);
        return taken === -1 ? seals.length : taken;
      } catch (error) {
        if (isUniqueViolation(error)) return 0;
        throw error;
      }
    },
    async countUnsealed(tenantId) {
      const [row] = await db.select({ n: count() }).from(auditEvents).where(and(eq(auditEvents.tenantId, tenantId), unsealedOnly(auditEvents)));
      return row?.n ?? 0;
    },
    /** Walks tenants and probes each through the (tenant_id, seq) index, rather than scanning every audit row. */
    async tenantsWithUnsealed(limit) {
      const rows = await db
        .select({ id: tenants.id })
        .from(tenants)
        .where(sql`exists (select 1 from audit_events a where a.tenant_id = ${tenants.id} and a.seq is null and a.personal_digest is not null)`)
        .limit(limit);
      return rows.map((row) => row.id);
    },
    async list(query) {
      const rows = await db.select().from(auditEvents).where(and(...filters(query))).orderBy(desc(auditEvents.id)).limit(query.limit + 1).all();
      return pageOf(rows, query.limit, auditFromRow);
    },
    async chain(tenantId, afterSeq, limit) {
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, afterSeq)))
        .orderBy(asc(auditEvents.seq))
        .limit(limit)
        .all();
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
        .limit(limit + 1)
        .all();
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
