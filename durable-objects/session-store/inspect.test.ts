import { describe, expect, it } from "vitest";
import { DAY, HOUR, SECOND, T0, TARGET, rotation, session, store } from "./test-fixtures";

describe("inspect (read-only refresh-token look-up for RFC 7662 / RFC 7009)", () => {
  it("finds the active session of the family's current token without rotating it", async () => {
    const stub = store();
    const created = session({ sessionId: "s1" });
    await stub.create(created);
    const found = await stub.inspect(created.refreshTokenHash, T0 + SECOND);
    expect(found).toMatchObject({ id: "s1", userId: "u1" });
    // Inspecting is not a use: the same token still rotates once, and inspecting it twice changes nothing.
    expect((await stub.inspect(created.refreshTokenHash, T0 + 2 * SECOND))?.lastUsedAt).toBe(T0);
    expect((await stub.rotate(rotation(created.refreshTokenHash))).status).toBe("rotated");
  });

  it("a rotated token is not active, and inspecting it does not count as reuse", async () => {
    const stub = store();
    const created = session({ sessionId: "s1" });
    await stub.create(created);
    const next = rotation(created.refreshTokenHash);
    await stub.rotate(next);
    expect(await stub.inspect(created.refreshTokenHash, T0 + 2 * HOUR)).toBeNull();
    expect((await stub.inspect(next.nextHash, T0 + 2 * HOUR))?.id).toBe("s1");
    expect(await stub.get("s1", T0 + 2 * HOUR)).not.toBeNull();
  });

  it("null for revoked, expired and unknown tokens, and on objects without storage", async () => {
    const stub = store();
    const revoked = session({ sessionId: "gone" });
    await stub.create(revoked);
    await stub.revoke("gone", "sign_out", T0 + SECOND, TARGET);
    expect(await stub.inspect(revoked.refreshTokenHash, T0 + 2 * SECOND)).toBeNull();
    const short = session({ sessionId: "old", absoluteTtlSeconds: 3600, idleTtlSeconds: 3600 });
    await stub.create(short);
    expect(await stub.inspect(short.refreshTokenHash, T0 + DAY)).toBeNull();
    expect(await stub.inspect("h-unknown", T0)).toBeNull();
    expect(await store().inspect("h-unknown", T0)).toBeNull();
  });
});
