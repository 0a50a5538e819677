import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrate } from "./schema";
import { findActiveSession } from "./sessions";
import { DAY, SECOND, T0, TARGET, session, store } from "./test-fixtures";

describe("verifiedAt (step-up)", () => {
  it("starts at the sign-in and moves with markVerified, which merges the methods proved", async () => {
    const stub = store();
    const created = await stub.create(session({ sessionId: "s1", amr: ["pwd"] }));
    expect(created.verifiedAt).toBe(T0);
    const stepped = await stub.markVerified("s1", ["otp"], T0 + 60 * SECOND);
    expect(stepped).toMatchObject({ id: "s1", verifiedAt: T0 + 60 * SECOND, amr: ["pwd", "otp"] });
    expect((await stub.get("s1", T0 + 61 * SECOND))?.verifiedAt).toBe(T0 + 60 * SECOND);
    // Proving a method already held does not repeat it.
    expect((await stub.markVerified("s1", ["pwd"], T0 + 70 * SECOND))?.amr).toEqual(["pwd", "otp"]);
  });

  it("refuses revoked, expired, unknown sessions and objects without storage", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "gone" }));
    await stub.revoke("gone", "sign_out", T0 + SECOND, TARGET);
    expect(await stub.markVerified("gone", ["pwd"], T0 + 2 * SECOND)).toBeNull();
    await stub.create(session({ sessionId: "old", absoluteTtlSeconds: 3600, idleTtlSeconds: 3600 }));
    expect(await stub.markVerified("old", ["pwd"], T0 + DAY)).toBeNull();
    expect(await stub.markVerified("missing", ["pwd"], T0)).toBeNull();
    expect(await store().markVerified("s1", ["pwd"], T0)).toBeNull();
  });

  it("objects created before the column get it on start; their sessions count as verified at creation", async () => {
    const stub = store();
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, idle_expires_at INTEGER NOT NULL, ip TEXT,
        user_agent TEXT, amr TEXT NOT NULL, revoked_at INTEGER, revoke_reason TEXT)`);
      sql.exec(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, idle_expires_at, amr) VALUES ('legacy', 'u1', ?1, ?1, ?2, ?2, '[\"pwd\"]')",
        T0,
        T0 + DAY,
      );
      migrate(sql);
      migrate(sql); // idempotent
      expect(findActiveSession(sql, "legacy", T0 + SECOND)?.verifiedAt).toBe(T0);
    });
  });
});
