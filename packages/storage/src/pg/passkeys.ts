import { type PasskeyRepository, PlintoError } from "@plinto/core";
import { passkeys } from "@plinto/schema/pg";
import { and, asc, count, eq, lt } from "drizzle-orm";
import { uniqueViolationAs } from "../errors";
import { passkeyFromRow, passkeyToRow } from "../rows";
import type { PgDb } from "./db";

/** WebAuthn credential records on Postgres; the counter only ever moves forward, in one conditional UPDATE. */
export function pgPasskeys(db: PgDb): PasskeyRepository {
  const ofUser = (tenantId: string, userId: string) => and(eq(passkeys.tenantId, tenantId), eq(passkeys.userId, userId));
  const owned = (tenantId: string, userId: string, id: string) => and(ofUser(tenantId, userId), eq(passkeys.id, id));
  return {
    async insert(passkey) {
      await db
        .insert(passkeys)
        .values(passkeyToRow(passkey))
        .catch(uniqueViolationAs(() => new PlintoError("conflict", { detail: "this passkey is already registered" })));
    },
    async getByCredentialId(tenantId, credentialId) {
      const [row] = await db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, tenantId), eq(passkeys.credentialId, credentialId)))
        .limit(1);
      return row ? passkeyFromRow(row) : null;
    },
    async get(tenantId, userId, id) {
      const [row] = await db.select().from(passkeys).where(owned(tenantId, userId, id)).limit(1);
      return row ? passkeyFromRow(row) : null;
    },
    async listForUser(tenantId, userId) {
      const rows = await db.select().from(passkeys).where(ofUser(tenantId, userId)).orderBy(asc(passkeys.createdAt), asc(passkeys.id));
      return rows.map(passkeyFromRow);
    },
    async countForUser(tenantId, userId) {
      const [row] = await db.select({ n: count() }).from(passkeys).where(ofUser(tenantId, userId));
      return row?.n ?? 0;
    },
    async rename(tenantId, userId, id, name) {
      const [row] = await db.update(passkeys).set({ name }).where(owned(tenantId, userId, id)).returning();
      return row ? passkeyFromRow(row) : null;
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
