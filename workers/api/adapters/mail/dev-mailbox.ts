import type { Mailer } from "@plinto/core";
import { devMailbox } from "@plinto/schema/sqlite";
import { and, desc, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ulidIds } from "../ids";

/**
 * Local development and tests: "sends" by storing the message in the
 * `dev_mailbox` table, readable at `GET /dev/mailbox` (only when PLINTO_ENV is
 * `development` or `test`). Never selected in production.
 */
export function devMailboxMailer(binding: D1Database): Mailer {
  const db = drizzle(binding);
  return {
    async send(email) {
      await db.insert(devMailbox).values({
        id: ulidIds.newId("msg"),
        tenantId: email.tenantId,
        to: email.to,
        from: email.from.name ? `${email.from.name} <${email.from.address}>` : email.from.address,
        subject: email.subject,
        text: email.text,
        html: email.html,
        createdAt: Date.now(),
      });
    },
  };
}

export type DevMessage = typeof devMailbox.$inferSelect;

/** Newest first; `to` matches case-insensitively. */
export async function readDevMailbox(binding: D1Database, filter: { to?: string; tenantId?: string; limit: number }): Promise<DevMessage[]> {
  const conditions = [
    filter.to ? eq(sql`lower(${devMailbox.to})`, filter.to.trim().toLowerCase()) : undefined,
    filter.tenantId ? eq(devMailbox.tenantId, filter.tenantId) : undefined,
  ];
  return drizzle(binding)
    .select()
    .from(devMailbox)
    .where(and(...conditions))
    .orderBy(desc(devMailbox.createdAt), desc(devMailbox.id))
    .limit(filter.limit);
}
