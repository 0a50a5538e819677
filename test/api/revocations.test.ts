import { describe, expect, it } from "vitest";
import { call, createTenant, json, signIn, signUp, type TokenBody } from "./helpers";

interface Snapshot {
  tenant: string;
  epoch: number;
  sessions: Record<string, number>;
  keys: Record<string, number>;
}

const snapshot = async (slug: string) => {
  const response = await call(`/t/${slug}/api/v1/revocations`);
  expect(response.status).toBe(200);
  expect(response.headers.get("Cache-Control")).toBe("public, max-age=1");
  return json<Snapshot>(response);
};

describe("GET /revocations: what edge verifiers poll", () => {
  it("lists a session as soon as its revocation returns, until its access tokens expire", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const before = await snapshot(tenant.slug);
    expect(before).toMatchObject({ tenant: tenant.slug, epoch: 0, sessions: {} });

    const other = await json<TokenBody>(await signIn(tenant, email));
    const revoked = await call(`${tenant.base}/sessions/${other.session_id}`, { method: "DELETE", token: tokens.access_token });
    expect(revoked.status).toBe(204);
    const after = await snapshot(tenant.slug);
    expect(after.epoch).toBe(1);
    const until = after.sessions[other.session_id];
    expect(until).toBeGreaterThan(Date.now() + 14 * 60_000);
    expect(until).toBeLessThan(Date.now() + 17 * 60_000);
  });

  it("lists every session revoked by a password change, a ban, or refresh-token reuse", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const second = await json<TokenBody>(await signIn(tenant, email));
    const rotated = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: second.refresh_token } });
    expect(rotated.status).toBe(200);
    const reused = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: second.refresh_token } });
    expect(reused.status).toBe(401);
    expect(Object.keys((await snapshot(tenant.slug)).sessions)).toEqual([second.session_id]);

    const ban = await call(`${tenant.base}/admin/users/${tokens.user?.id}/ban`, { body: {}, token: tenant.secretKey });
    expect(ban.status).toBe(200);
    expect(Object.keys((await snapshot(tenant.slug)).sessions).sort()).toEqual([second.session_id, tokens.session_id].sort());
  });

  it("lists a revoked signing key and belongs to one tenant only", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const keys = await json<{ data: { kid: string }[] }>(await call(`${tenant.base}/admin/signing-keys`, { token: tenant.secretKey }));
    const kid = keys.data[0]?.kid ?? "";
    expect((await call(`${tenant.base}/admin/signing-keys/${kid}`, { method: "DELETE", token: tenant.secretKey })).status).toBe(204);
    expect(Object.keys((await snapshot(tenant.slug)).keys)).toEqual([kid]);
    expect((await snapshot(other.slug)).keys).toEqual({});
    expect((await call("/t/no-such-tenant/api/v1/revocations")).status).toBe(404);
  });
});
