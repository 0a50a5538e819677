import { describe, expect, it } from "vitest";
import { call, createTenant, json, signIn, signUp, type TokenBody } from "./helpers";

describe("session lifecycle", () => {
  it("signs up, signs in, refreshes, lists and revokes", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    expect(tokens.token_type).toBe("Bearer");
    const signedIn = await signIn(tenant, email);
    expect(signedIn.status).toBe(200);
    const session = await json<TokenBody>(signedIn);
    const refreshed = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: session.refresh_token } });
    expect(refreshed.status).toBe(200);
    const next = await json<TokenBody>(refreshed);
    const list = await call(`${tenant.base}/sessions`, { token: next.access_token });
    expect(list.status).toBe(200);
    const sessions = await json<{ data: { id: string; current: boolean; device: string }[] }>(list);
    expect(sessions.data).toHaveLength(2);
    const revoke = await call(`${tenant.base}/sessions/${tokens.session_id}`, { method: "DELETE", token: next.access_token });
    expect(revoke.status).toBe(204);
    const me = await call(`${tenant.base}/me`, { token: tokens.access_token });
    expect(me.status).toBe(401);
  });
});
