import type { Mailer } from "@plinto/core";
import { devMailbox } from "@plinto/schema/sqlite";
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
