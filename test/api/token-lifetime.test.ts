import { describe, expect, it } from "vitest";
import { createTenant, signUp } from "./helpers";
import { admin, clockedApp, getJwks, kidsOf, me, MINUTE } from "./token-helpers";

describe("shortening the access-token lifetime never cuts short tokens already issued", () => {
  it("rotates at once, keeping the old key published for the old lifetime, so a later rotation is safe too", async () => {
    const { clock, call: send } = clockedApp();
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant); // a 15-minute token under the first key
    const before = kidsOf((await getJwks(tenant, send)).jwks);

    const patched = await admin(tenant, "/settings", { method: "PATCH", body: { tokens: { access_token_ttl_seconds: 60 } } }, send);
    expect(patched.status).toBe(200);
    const afterPatch = kidsOf((await getJwks(tenant, send)).jwks);
    expect(afterPatch).toHaveLength(2);
    expect(afterPatch).toEqual(expect.arrayContaining(before));

    // A manual rotation right after must not shorten the first key's window either.
    expect((await admin(tenant, "/signing-keys/rotate", { method: "POST" }, send)).status).toBe(201);
    clock.advance(14 * MINUTE);
    expect((await me(tenant, tokens.access_token, send)).status).toBe(200);
    expect(kidsOf((await getJwks(tenant, send)).jwks)).toEqual(expect.arrayContaining(before));

    clock.advance(7 * MINUTE); // past 15 minutes + 5 minutes of leeway
    expect(kidsOf((await getJwks(tenant, send)).jwks)).not.toEqual(expect.arrayContaining(before));
  });
});
