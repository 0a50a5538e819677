import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { RETENTION_MS } from "./cleanup";
import { DAY, HOUR, T0, rotation, session, store, TARGET } from "./test-fixtures";

type Stub = ReturnType<typeof store>;

/** What is on disk, including revoked and expired rows that the RPC methods hide. */
function stored(stub: Stub) {
  return runInDurableObject(stub, async (_, state) => ({
    sessions: state.storage.sql
      .exec<{ id: string }>("SELECT id FROM sessions ORDER BY id")
      .toArray()
      .map((row) => row.id),
    tokens: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM refresh_tokens").one().n,
    alarm: await state.storage.getAlarm(),
  }));
}

describe("cleanup alarm", () => {
  it("keeps retention at about a day", () => {
    expect(RETENTION_MS).toBe(DAY);
  });

  it("purges a session a day after it was revoked, with its token digests", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "gone", refreshTokenHash: "g1" }));
    await stub.rotate(rotation("g1", { nextHash: "g2" }));
    await stub.create(session({ sessionId: "later", refreshTokenHash: "l1" }));
    await stub.create(session({ sessionId: "live", refreshTokenHash: "v1" }));
    await stub.revoke("gone", "sign_out", T0 + 2 * HOUR, TARGET);
    await stub.revoke("later", "sign_out", T0 + 3 * HOUR, TARGET);
    expect(await stored(stub)).toEqual({ sessions: ["gone", "later", "live"], tokens: 4, alarm: T0 + 2 * HOUR + DAY });

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stored(stub)).toEqual({ sessions: ["later", "live"], tokens: 2, alarm: T0 + 3 * HOUR + DAY });
    // A purged token is simply unknown.
    expect(await stub.rotate(rotation("g1", { now: T0 + 2 * HOUR + DAY }))).toEqual({ status: "invalid" });
  });

  it("purges expired sessions a day after their idle end", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "idle", absoluteTtlSeconds: 10 * 3600, idleTtlSeconds: 3600 }));
    expect((await stored(stub)).alarm).toBe(T0 + HOUR + DAY);
    await runDurableObjectAlarm(stub);
    expect(await stored(stub)).toEqual({ sessions: [], tokens: 0, alarm: null });
  });

  it("keeps a session whose idle end slid after the alarm was planned", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a", idleTtlSeconds: 2 * 3600 }));
    await stub.rotate(rotation("a", { now: T0 + HOUR, idleTtlSeconds: 2 * 3600 }));
    expect((await stored(stub)).alarm).toBe(T0 + 2 * HOUR + DAY);
    await runDurableObjectAlarm(stub);
    expect(await stored(stub)).toEqual({ sessions: ["s1"], tokens: 2, alarm: T0 + 3 * HOUR + DAY });
  });

  it("moves the alarm earlier when a session ends sooner", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1" }));
    expect((await stored(stub)).alarm).toBe(T0 + 7 * DAY + DAY);
    await stub.revokeAll("user_deleted", T0 + HOUR, TARGET);
    expect((await stored(stub)).alarm).toBe(T0 + HOUR + DAY);
  });
});
