import type { AuditLog } from "@plinto/core";
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { auditEvents } from "@plinto/schema/sqlite";
import { auditFromRow, auditToRow } from "./rows";

export function d1Audit(db: DrizzleD1Database): AuditLog {
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
        .limit(query.limit + 1)
        .all();
      const items = rows.slice(0, query.limit).map(auditFromRow);
      return { items, nextAfterId: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },
  };
}
