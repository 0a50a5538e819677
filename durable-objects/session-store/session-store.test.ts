import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DAY, HOUR, SECOND, T0, rotation, session, store, TARGET } from "./test-fixtures";

describe("create, get and list", () => {
  it("creates a session with absolute and idle ends", async () => {
    const stub = store();
    const created = await stub.create(session({ sessionId: "s1" }));
    expect(created).toEqual({
      id: "s1",
      userId: "u1",
      createdAt: T0,
      lastUsedAt: T0,
      expiresAt: T0 + 30 * DAY,
      idleExpiresAt: T0 + 7 * DAY,
      ip: "192.0.2.1",
      userAgent: "test-agent",
      amr: ["pwd"],
      verifiedAt: T0,
      organizationId: null,
      revokedAt: null,
      revokeReason: null,
    });
    expect(await stub.get("s1", T0)).toEqual(created);
    expect(await stub.get("missing", T0)).toBeNull();
  });

  it("caps the idle end at the absolute end", async () => {
    const created = await store().create(session({ absoluteTtlSeconds: 3600, idleTtlSeconds: 7200 }));
    expect(created.idleExpiresAt).toBe(created.expiresAt);
  });

  it("lists active sessions newest first", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "old", now: T0 }));
    await stub.create(session({ sessionId: "new", now: T0 + SECOND }));
    await stub.create(session({ sessionId: "gone", now: T0 + 2 * SECOND }));
    await stub.revoke("gone", "sign_out", T0 + 3 * SECOND, TARGET);
    const ids = (await stub.list(T0 + 4 * SECOND)).map((s) => s.id);
    expect(ids).toEqual(["new", "old"]);
  });

  it("stores only the digests it is given", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "digest-1" }));
    const hashes = await runInDurableObject(stub, (_, state) =>
      state.storage.sql.exec<{ token_hash: string }>("SELECT token_hash FROM refresh_tokens").toArray(),
    );
    expect(hashes).toEqual([{ token_hash: "digest-1" }]);
  });
});

describe("rotate (RFC 9700 §4.14.2)", () => {
  it("rotates the current token and slides the idle end", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a" }));
    const result = await stub.rotate(rotation("a", { nextHash: "b", now: T0 + HOUR }));
    expect(result.status).toBe("rotated");
    if (result.status !== "rotated") return;
    expect(result.session).toMatchObject({
      id: "s1",
      lastUsedAt: T0 + HOUR,
      idleExpiresAt: T0 + HOUR + 7 * DAY,
      expiresAt: T0 + 30 * DAY,
      ip: "198.51.100.7",
      userAgent: "other-agent",
      revokedAt: null,
    });
    const next = await stub.rotate(rotation("b", { nextHash: "c", now: T0 + 2 * HOUR }));
    expect(next.status).toBe("rotated");
  });

  it("never slides the idle end past the absolute end", async () => {
    const stub = store();
    await stub.create(session({ refreshTokenHash: "a", absoluteTtlSeconds: 10 * 3600, idleTtlSeconds: 4 * 3600 }));
    const first = await stub.rotate(rotation("a", { nextHash: "b", now: T0 + 3 * HOUR, idleTtlSeconds: 4 * 3600 }));
    expect(first.status === "rotated" && first.session.idleExpiresAt).toBe(T0 + 7 * HOUR);
    const second = await stub.rotate(rotation("b", { now: T0 + 7 * HOUR - 1, idleTtlSeconds: 4 * 3600 }));
    expect(second.status === "rotated" && second.session.idleExpiresAt).toBe(T0 + 10 * HOUR);
  });

  it("rejects an unknown token", async () => {
    expect(await store().rotate(rotation("nope"))).toEqual({ status: "invalid" });
  });

  it("revokes the whole family when a rotated token comes back", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a" }));
    await stub.rotate(rotation("a", { nextHash: "b", now: T0 + HOUR }));
    const replay = await stub.rotate(rotation("a", { now: T0 + 2 * HOUR }));
    expect(replay).toMatchObject({
      status: "reused",
      session: { id: "s1", revokedAt: T0 + 2 * HOUR, revokeReason: "refresh_token_reused" },
    });
    // The token the legitimate (or the attacking) client holds is dead too.
    expect(await stub.rotate(rotation("b", { now: T0 + 3 * HOUR }))).toEqual({ status: "invalid" });
    expect(await stub.get("s1", T0 + 3 * HOUR)).toBeNull();
  });

  it("lets exactly one of two concurrent rotations of a token win", async () => {
    const stub = store();
    await stub.create(session({ refreshTokenHash: "a" }));
    const results = await Promise.all([stub.rotate(rotation("a")), stub.rotate(rotation("a"))]);
    expect(results.map((r) => r.status).sort()).toEqual(["reused", "rotated"]);
  });

  it("keeps sessions of other users apart", async () => {
    const alice = store("t1:alice");
    const bob = store("t1:bob");
    await alice.create(session({ sessionId: "s-alice", refreshTokenHash: "alice-token" }));
    expect(await bob.rotate(rotation("alice-token"))).toEqual({ status: "invalid" });
    expect(await bob.get("s-alice", T0)).toBeNull();
    expect(await bob.list(T0)).toEqual([]);
    expect(await store("t2:alice").rotate(rotation("alice-token"))).toEqual({ status: "invalid" });
    expect((await alice.rotate(rotation("alice-token"))).status).toBe("rotated");
  });
});

describe("expiry", () => {
  const ttl = { absoluteTtlSeconds: 10 * 3600, idleTtlSeconds: 2 * 3600 };

  it("ends a session at its absolute end even when used", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "t0", ...ttl }));
    let hash = "t0";
    for (let hour = 1; hour < 10; hour++) {
      const result = await stub.rotate(rotation(hash, { nextHash: `t${hour}`, now: T0 + hour * HOUR, idleTtlSeconds: 7200 }));
      expect(result.status).toBe("rotated");
      hash = `t${hour}`;
    }
    expect(await stub.get("s1", T0 + 10 * HOUR - 1)).not.toBeNull();
    expect(await stub.get("s1", T0 + 10 * HOUR)).toBeNull();
    expect(await stub.list(T0 + 10 * HOUR)).toEqual([]);
    expect(await stub.rotate(rotation(hash, { now: T0 + 10 * HOUR }))).toEqual({ status: "invalid" });
  });

  it("ends a session left unused past its idle end", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a", ...ttl }));
    expect(await stub.get("s1", T0 + 2 * HOUR - 1)).not.toBeNull();
    expect(await stub.get("s1", T0 + 2 * HOUR)).toBeNull();
    expect(await stub.rotate(rotation("a", { now: T0 + 2 * HOUR }))).toEqual({ status: "invalid" });
  });

  it("treats a rotated token of an expired session as invalid, not reuse", async () => {
    const stub = store();
    await stub.create(session({ refreshTokenHash: "a", ...ttl }));
    await stub.rotate(rotation("a", { nextHash: "b", now: T0 + HOUR }));
    expect(await stub.rotate(rotation("a", { now: T0 + 11 * HOUR }))).toEqual({ status: "invalid" });
  });
});

describe("revoke", () => {
  it("revokes one session and kills its tokens", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a" }));
    const revoked = await stub.revoke("s1", "sign_out", T0 + HOUR, TARGET);
    expect(revoked).toMatchObject({ id: "s1", revokedAt: T0 + HOUR, revokeReason: "sign_out" });
    expect(await stub.get("s1", T0 + HOUR)).toBeNull();
    expect(await stub.rotate(rotation("a", { now: T0 + HOUR }))).toEqual({ status: "invalid" });
    expect(await stub.revoke("s1", "admin", T0 + 2 * HOUR, TARGET)).toBeNull();
    expect(await stub.revoke("missing", "admin", T0, TARGET)).toBeNull();
  });

  it("revokes all sessions but the one kept", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", refreshTokenHash: "a", now: T0 }));
    await stub.create(session({ sessionId: "s2", refreshTokenHash: "b", now: T0 + 1 }));
    await stub.create(session({ sessionId: "s3", refreshTokenHash: "c", now: T0 + 2 }));
    await stub.revoke("s3", "sign_out", T0 + 3, TARGET);
    expect(await stub.revokeAll("password_changed", T0 + HOUR, TARGET, "s1")).toEqual(["s2"]);
    expect((await stub.list(T0 + HOUR)).map((s) => s.id)).toEqual(["s1"]);
    expect(await stub.rotate(rotation("b", { now: T0 + HOUR }))).toEqual({ status: "invalid" });
    expect((await stub.rotate(rotation("a", { now: T0 + HOUR }))).status).toBe("rotated");
  });

  it("revokes every session when none is kept", async () => {
    const stub = store();
    await stub.create(session({ sessionId: "s1", now: T0 }));
    await stub.create(session({ sessionId: "s2", now: T0 + 1 }));
    expect(await stub.revokeAll("user_banned", T0 + HOUR, TARGET)).toEqual(["s2", "s1"]);
    expect(await stub.revokeAll("user_banned", T0 + HOUR, TARGET, null)).toEqual([]);
    expect(await stub.list(T0 + HOUR)).toEqual([]);
  });
});

describe("revocations reach the tenant's revocation list before the call returns", () => {
  it("announces a revoked session, every session of revokeAll, and a reused family", async () => {
    const target = { list: `list-${crypto.randomUUID()}`, accessTokenTtlSeconds: 900 };
    const stub = store();
    await stub.create(session({ sessionId: "a", refreshTokenHash: "ha" }));
    await stub.create(session({ sessionId: "b", refreshTokenHash: "hb" }));
    await stub.create(session({ sessionId: "c", refreshTokenHash: "hc" }));
    await stub.revoke("a", "sign_out", T0 + HOUR, target);
    const revocations = env.REVOCATION_LIST.getByName(target.list);
    const afterOne = await revocations.snapshot(target.list, T0 + HOUR);
    expect(afterOne.sessions).toEqual({ a: T0 + HOUR + 900 * SECOND + 60 * SECOND });

    await stub.rotate(rotation("hb", { nextHash: "hb2", revocation: target }));
    const reuse = await stub.rotate(rotation("hb", { now: T0 + HOUR + 5 * SECOND, revocation: target }));
    expect(reuse.status).toBe("reused");
    await stub.revokeAll("user_banned", T0 + HOUR + 10 * SECOND, target);
    const snapshot = await revocations.snapshot(target.list, T0 + HOUR + 10 * SECOND);
    expect(Object.keys(snapshot.sessions).sort()).toEqual(["a", "b", "c"]);
    expect(snapshot.epoch).toBe(3);
  });
});

describe("an object nobody created a session in", () => {
  it("answers a forged refresh token as invalid and stores nothing", async () => {
    const stub = store(`t1:usr_${crypto.randomUUID()}`);
    expect((await stub.rotate(rotation("forged"))).status).toBe("invalid");
    expect(await stub.list(T0)).toEqual([]);
    expect(await stub.revokeAll("admin", T0, TARGET)).toEqual([]);
    const tables = await runInDurableObject(stub, (_instance, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'").toArray(),
    );
    expect(tables).toEqual([]);
  });
});
