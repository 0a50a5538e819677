import type { AuditLog } from "@plinto/core";
import { auditEvents } from "@plinto/schema/pg";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { auditFromRow, auditToRow, pageOf } from "../rows";
import type { PgDb } from "./db";

export function pgAudit(db: PgDb): AuditLog {
  return {
    async append(event) {
      await db.insert(auditEvents).values(auditToRow(event));
    },
    async list(query) {
      const conditions: SQL[] = [eq(auditEvents.tenantId, query.tenantId)];
      if (query.afterId) conditions.push(lt(auditEvents.id, query.afterId));
      if (query.type) conditions.push(eq(auditEvents.type, query.type));
      if (query.actorId) conditions.push(eq(auditEvents.actorId, query.actorId));
      if (query.subjectId) conditions.push(eq(auditEvents.subjectId, query.subjectId));
      const rows = await db
        .select()
        .from(auditEvents)
        .where(and(...conditions))
        .orderBy(desc(auditEvents.id))
        .limit(query.limit + 1);
      return pageOf(rows, query.limit, auditFromRow);
    },
  };
}
