import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { migrate } from "./schema";
import { findActiveSession } from "./sessions";
import { DAY, SECOND, T0, TARGET, session, store } from "./test-fixtures";

describe("organizationId (active organization)", () => {
  it("starts empty, is set and cleared by setActiveOrganization, and survives rotation", async () => {
    const stub = store();
    const created = await stub.create(session({ sessionId: "s1", refreshTokenHash: "a" }));
    expect(created.organizationId).toBeNull();
    expect((await stub.setActiveOrganization("s1", "org_1", T0 + SECOND))?.organizationId).toBe("org_1");
    const rotated = await stub.rotate({
      presentedHash: "a",
      nextHash: "b",
      now: T0 + 2 * SECOND,
      ip: null,
      userAgent: null,
      idleTtlSeconds: 3600,
      revocation: TARGET,
    });
    expect(rotated.status === "rotated" && rotated.session.organizationId).toBe("org_1");
    expect((await stub.setActiveOrganization("s1", null, T0 + 3 * SECOND))?.organizationId).toBeNull();
  });

  it("refuses revoked, unknown sessions and objects without storage", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "gone" }));
    await stub.revoke("gone", "sign_out", T0 + SECOND, TARGET);
    expect(await stub.setActiveOrganization("gone", "org_1", T0 + 2 * SECOND)).toBeNull();
    expect(await stub.setActiveOrganization("missing", "org_1", T0)).toBeNull();
    expect(await store().setActiveOrganization("s1", "org_1", T0)).toBeNull();
  });

  it("objects created before the column get it on start; their sessions have no active organization", async () => {
    const stub = store();
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      sql.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, idle_expires_at INTEGER NOT NULL, ip TEXT,
        user_agent TEXT, amr TEXT NOT NULL, verified_at INTEGER, revoked_at INTEGER, revoke_reason TEXT)`);
      sql.exec(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, idle_expires_at, amr) VALUES ('legacy', 'u1', ?1, ?1, ?2, ?2, '[\"pwd\"]')",
        T0,
        T0 + DAY,
      );
      migrate(sql);
      migrate(sql); // idempotent
      expect(findActiveSession(sql, "legacy", T0 + SECOND)?.organizationId).toBeNull();
    });
  });
});
