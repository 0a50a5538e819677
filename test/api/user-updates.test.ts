import { env } from "cloudflare:workers";
import { storageFor } from "../../workers/api/storage";
import { describe, expect, it } from "vitest";
import { call, createTenant, json, signUp } from "./helpers";

describe("user updates write only their own columns", () => {
  it("a profile write prepared before a ban cannot lift it", async () => {
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant);
    const userId = tokens.user?.id ?? "";
    // A PATCH /me that authenticated before the ban writes after it: only `name` and `updated_at` change.
    const ban = await call(`${tenant.base}/admin/users/${userId}/ban`, { body: { reason: "spam" }, token: tenant.secretKey });
    expect(ban.status).toBe(200);
    await storageFor(env).users.update(tenant.id, userId, { name: "Late Write", updatedAt: Date.now() });
    const user = await json<{ banned: boolean; ban_reason: string; name: string }>(
      await call(`${tenant.base}/admin/users/${userId}`, { token: tenant.secretKey }),
    );
    expect(user).toMatchObject({ banned: true, ban_reason: "spam", name: "Late Write" });
  });
});
