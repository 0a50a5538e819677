import type { EmailKind, EmailTemplateRepository } from "@plinto/core";
import { emailTemplates } from "@plinto/schema/sqlite";
import { and, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { emailTemplateFromRow } from "./rows";

/** Tenant overrides of the built-in email templates, one row per (tenant, kind). */
export function d1EmailTemplates(db: DrizzleD1Database): EmailTemplateRepository {
  const key = (tenantId: string, kind: EmailKind) => and(eq(emailTemplates.tenantId, tenantId), eq(emailTemplates.kind, kind));
  return {
    async get(tenantId, kind) {
      const [row] = await db.select().from(emailTemplates).where(key(tenantId, kind)).limit(1);
      return row ? emailTemplateFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(emailTemplates).where(eq(emailTemplates.tenantId, tenantId));
      return rows.map(emailTemplateFromRow);
    },
    async put(template) {
      const { subject, text, html, updatedAt } = template;
      await db
        .insert(emailTemplates)
        .values(template)
        .onConflictDoUpdate({ target: [emailTemplates.tenantId, emailTemplates.kind], set: { subject, text, html, updatedAt } });
    },
    async delete(tenantId, kind) {
      const deleted = await db.delete(emailTemplates).where(key(tenantId, kind)).returning({ kind: emailTemplates.kind });
      return deleted.length > 0;
    },
  };
}
