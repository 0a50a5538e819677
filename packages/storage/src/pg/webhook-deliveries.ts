import type { WebhookDeliveryRepository } from "@plinto/core";
import { webhookDeliveries } from "@plinto/schema/pg";
import { and, asc, desc, eq, gte, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { PgDb } from "./db";
import { pageOf } from "../rows";
import { webhookDeliveryFromRow } from "../webhook-rows";

const d = webhookDeliveries;

export function pgWebhookDeliveries(db: PgDb): WebhookDeliveryRepository {
  return {
    async insertMany(deliveries) {
      if (deliveries.length === 0) return;
      await db.insert(d).values(deliveries).onConflictDoNothing({ target: [d.endpointId, d.eventId] });
    },
    async listUnattempted(tenantId, eventId) {
      const rows = await db
        .select()
        .from(d)
        .where(and(eq(d.tenantId, tenantId), eq(d.eventId, eventId), eq(d.status, "pending"), eq(d.attempts, 0)));
      return rows.map(webhookDeliveryFromRow);
    },
    async get(tenantId, id) {
      const row = (await db.select().from(d).where(and(eq(d.tenantId, tenantId), eq(d.id, id))).limit(1))[0];
      return row ? webhookDeliveryFromRow(row) : null;
    },
    async list(query) {
      const conditions: SQL[] = [eq(d.tenantId, query.tenantId), eq(d.endpointId, query.endpointId)];
      if (query.afterId) conditions.push(lt(d.id, query.afterId));
      if (query.status) conditions.push(eq(d.status, query.status));
      const rows = await db.select().from(d).where(and(...conditions)).orderBy(desc(d.id)).limit(query.limit + 1);
      return pageOf(rows, query.limit, webhookDeliveryFromRow);
    },
    async recordAttempt(id, attempt) {
      await db
        .update(d)
        .set({
          status: attempt.status,
          attempts: sql`${d.attempts} + 1`,
          lastStatusCode: attempt.statusCode,
          lastLatencyMs: attempt.latencyMs,
          lastError: attempt.error,
          lastAttemptAt: attempt.at,
          nextAttemptAt: attempt.nextAttemptAt,
        })
        .where(eq(d.id, id));
    },
    async markForReplay(tenantId, filter) {
      const conditions: SQL[] = [eq(d.tenantId, tenantId), eq(d.status, "failed")];
      if ("id" in filter) conditions.push(eq(d.id, filter.id));
      else {
        conditions.push(gte(d.createdAt, filter.since));
        if (filter.endpointId) conditions.push(eq(d.endpointId, filter.endpointId));
      }
      const limit = "id" in filter ? 1 : filter.limit;
      const chosen = db.select({ id: d.id }).from(d).where(and(...conditions)).orderBy(asc(d.id)).limit(limit);
      const replayed = await db
        .update(d)
        .set({ status: "pending", nextAttemptAt: null })
        .where(and(eq(d.status, "failed"), inArray(d.id, chosen)))
        .returning({ id: d.id });
      return replayed.map((row) => row.id);
    },
    async deleteMentioning(tenantId, needles) {
      if (needles.length === 0) return 0;
      const mentions = or(...needles.map((needle) => sql`strpos(${d.payload}, ${needle}) > 0`));
      const deleted = await db
        .delete(d)
        .where(and(eq(d.tenantId, tenantId), ne(d.eventType, "user.deleted"), mentions))
        .returning({ id: d.id });
      return deleted.length;
    },
  };
}
