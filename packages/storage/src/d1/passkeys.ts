import { type Passkey, type PasskeyRepository, PlintoError } from "@plinto/core";
import { passkeys } from "@plinto/schema/sqlite";
import { and, asc, count, eq, lt } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { uniqueViolationAs } from "./rows";

type Row = typeof passkeys.$inferSelect;

const fromRow = (row: Row): Passkey => ({ ...row, transports: JSON.parse(row.transports) as string[] });

/** WebAuthn credential records on D1; the counter only ever moves forward, in one conditional UPDATE. */
export function d1Passkeys(db: DrizzleD1Database): PasskeyRepository {
  const owned = (tenantId: string, userId: string, id: string) =>
    and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId), eq(passkeys.id, id));
  return {
    async insert(passkey) {
      await db
        .insert(passkeys)
        .values({ ...passkey, transports: JSON.stringify(passkey.transports) })
        .catch(uniqueViolationAs(() => new PlintoError("conflict", { detail: "this passkey is already registered" })));
    },
    async getByCredentialId(tenantId, credentialId) {
      const row = await db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.credentialId, credentialId)))
        .get();
      return row ? fromRow(row) : null;
    },
    async get(tenantId, userId, id) {
      const row = await db.select().from(passkeys).where(owned(tenantId, userId, id)).get();
      return row ? fromRow(row) : null;
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId)))
        .orderBy(asc(passkeys.createdAt), asc(passkeys.id))
        .all();
      return rows.map(fromRow);
    },
    async countForUser(tenantId, userId) {
      const [row] = await db
        .select({ n: count() })
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId)));
      return row?.n ?? 0;
    },
    async rename(tenantId, userId, id, name) {
      const [row] = await db.update(passkeys).set({ name }).where(owned(tenantId, userId, id)).returning();
      return row ? fromRow(row) : null;
    },
    async delete(tenantId, userId, id) {
      const deleted = await db.delete(passkeys).where(owned(tenantId, userId, id)).returning({ id: passkeys.id });
      return deleted.length > 0;
    },
    async recordUse(tenantId, id, use) {
      // WebAuthn §7.2 step 22: a counter of 0 may stay 0 (the authenticator does not count); otherwise it must grow.
      const forward = use.counter === 0 ? eq(passkeys.counter, 0) : lt(passkeys.counter, use.counter);
      const updated = await db
        .update(passkeys)
        .set({ counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.usedAt })
        .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.id, id), forward))
        .returning({ id: passkeys.id });
      return updated.length > 0;
    },
  };
}
