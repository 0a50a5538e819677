import type { WebhookEndpointRepository } from "@plinto/core";
import { webhookEndpoints } from "@plinto/schema/pg";
import { and, asc, eq, sql } from "drizzle-orm";
import type { PgDb } from "./db";
import { webhookEndpointFromRow, webhookEndpointPatchToRow, webhookEndpointToRow } from "../webhook-rows";

export function pgWebhookEndpoints(db: PgDb): WebhookEndpointRepository {
  const byTenant = (tenantId: string, id: string) => and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id));
  return {
    async insert(endpoint) {
      await db.insert(webhookEndpoints).values(webhookEndpointToRow(endpoint));
    },
    async get(tenantId, id) {
      const row = await db.select().from(webhookEndpoints).where(byTenant(tenantId, id)).limit(1).then((rows) => rows[0]);
      return row ? webhookEndpointFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).orderBy(asc(webhookEndpoints.id));
      return rows.map(webhookEndpointFromRow);
    },
    async listEnabled(tenantId) {
      const rows = await db
        .select()
        .from(webhookEndpoints)
        .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.enabled, true)));
      return rows.map(webhookEndpointFromRow);
    },
    async update(tenantId, id, patch) {
      const [row] = await db.update(webhookEndpoints).set(webhookEndpointPatchToRow(patch)).where(byTenant(tenantId, id)).returning();
      return row ? webhookEndpointFromRow(row) : null;
    },
    async delete(tenantId, id) {
      const deleted = await db.delete(webhookEndpoints).where(byTenant(tenantId, id)).returning({ id: webhookEndpoints.id });
      return deleted.length > 0;
    },
    async recordFailure(id, at) {
      const [row] = await db
        .update(webhookEndpoints)
        .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`, failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${at})` })
        .where(eq(webhookEndpoints.id, id))
        .returning({ consecutiveFailures: webhookEndpoints.consecutiveFailures, failingSince: webhookEndpoints.failingSince });
      return row ? { consecutiveFailures: row.consecutiveFailures, failingSince: row.failingSince ?? at } : null;
    },
    async recordSuccess(id) {
      await db.update(webhookEndpoints).set({ consecutiveFailures: 0, failingSince: null }).where(eq(webhookEndpoints.id, id));
    },
    async disableFailing(id, at) {
      const done = await db
        .update(webhookEndpoints)
        .set({ enabled: false, disabledReason: "failing", updatedAt: at })
        .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.enabled, true)))
        .returning({ id: webhookEndpoints.id });
      return done.length > 0;
    },
  };
}
