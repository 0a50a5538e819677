import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  expectProblem,
  freshIp,
  json,
  STRONG_PASSWORD,
  signIn,
  signUp,
  type TestTenant,
  type TokenBody,
} from "./helpers";
import { claimsOf, clockedApp, DAY, expectInvalidToken, me, MINUTE, refresh, tokensOf } from "./token-helpers";

let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  [tenant, other] = await Promise.all([createTenant(), createTenant()]);
});

const expectInvalidRefresh = (response: Response) => expectProblem(response, 401, "invalid_refresh_token");

describe("refresh-token rotation", () => {
  it("returns a new refresh token and a new access token that works on /me, in the same session", async () => {
    const { tokens } = await signUp(tenant);
    const next = await tokensOf(await refresh(tenant, tokens.refresh_token));
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.token_type).toBe("Bearer");
    expect(next.expires_in).toBe(900);
    expect(next.session_id).toBe(tokens.session_id);
    const claims = claimsOf(next.access_token);
    expect(claims.sid).toBe(tokens.session_id);
    expect(claims.sub).toBe(tokens.user?.id);
    expect(claims.jti).not.toBe(claimsOf(tokens.access_token).jti);
    expect(claims.amr).toEqual(["pwd"]);
    expect(claims.iss).toBe(tenant.issuer);
    const response = await me(tenant, next.access_token);
    expect(response.status).toBe(200);
    expect((await json<{ id: string }>(response)).id).toBe(tokens.user?.id);
  });

  it("refresh responses are no-store", async () => {
    const { tokens } = await signUp(tenant);
    const response = await refresh(tenant, tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toContain("no-store");
  });

  it("chains: each new refresh token can be used once", async () => {
    const { tokens } = await signUp(tenant);
    let current = tokens.refresh_token;
    const seen = new Set([current]);
    for (let i = 0; i < 3; i += 1) {
      const next = await tokensOf(await refresh(tenant, current));
      expect(seen.has(next.refresh_token)).toBe(false);
      seen.add(next.refresh_token);
      current = next.refresh_token;
    }
  });

  it("reuse of a rotated token answers refresh_token_reused and revokes the whole family", async () => {
    const { email, tokens } = await signUp(tenant);
    const bystander = await tokensOf(await signIn(tenant, email));
    const first = await tokensOf(await refresh(tenant, tokens.refresh_token));
    const second = await tokensOf(await refresh(tenant, first.refresh_token));
    expect((await me(tenant, second.access_token)).status).toBe(200);

    await expectProblem(await refresh(tenant, tokens.refresh_token), 401, "refresh_token_reused");

    // The newest refresh token of the family is dead, and so is every access token of the session.
    await expectInvalidRefresh(await refresh(tenant, second.refresh_token));
    await expectInvalidToken(await me(tenant, second.access_token));
    await expectInvalidToken(await me(tenant, first.access_token));
    await expectInvalidToken(await me(tenant, tokens.access_token));
    // Reusing again (any rotated member) never revives anything.
    const again = await refresh(tenant, first.refresh_token);
    expect(again.status).toBe(401);
    await expectInvalidToken(await me(tenant, second.access_token));

    // Another session (another family) of the same user is untouched.
    expect((await me(tenant, bystander.access_token)).status).toBe(200);
    const list = await call(`${tenant.base}/sessions`, { token: bystander.access_token });
    const ids = (await json<{ data: { id: string }[] }>(list)).data.map((session) => session.id);
    expect(ids).not.toContain(tokens.session_id);
    expect(ids).toContain(bystander.session_id);
    expect((await refresh(tenant, bystander.refresh_token)).status).toBe(200);
  });

  it("reuse is audited", async () => {
    const { tokens } = await signUp(tenant);
    await tokensOf(await refresh(tenant, tokens.refresh_token));
    await expectProblem(await refresh(tenant, tokens.refresh_token), 401, "refresh_token_reused");
    const events = await call(`${tenant.base}/admin/audit-events`, { token: tenant.secretKey });
    expect(events.status).toBe(200);
    const body = await json<{ data: { type: string; subject_id: string | null }[] }>(events);
    expect(body.data.some((event) => event.type === "session.refresh_token_reused" && event.subject_id === tokens.user?.id)).toBe(true);
  });

  it("concurrent refresh of the same token: exactly one wins", async () => {
    const { tokens } = await signUp(tenant);
    const responses = await Promise.all([refresh(tenant, tokens.refresh_token), refresh(tenant, tokens.refresh_token)]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 401]);
    const loser = responses.find((response) => response.status === 401);
    const body = await json<{ code: string }>(loser ?? new Response("{}"));
    expect(["refresh_token_reused", "invalid_refresh_token"]).toContain(body.code);
  });

  it("concurrent refresh, five at once: exactly one wins", async () => {
    const { tokens } = await signUp(tenant);
    const responses = await Promise.all(Array.from({ length: 5 }, () => refresh(tenant, tokens.refresh_token)));
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    expect(responses.filter((response) => response.status === 401)).toHaveLength(4);
  });
});

describe("refresh tokens that are not valid", () => {
  it("garbage, unknown and malformed tokens: 401 invalid_refresh_token", async () => {
    const { tokens } = await signUp(tenant);
    const [prefix, secret] = tokens.refresh_token.split(".");
    const flipped = `${prefix}.${(secret?.startsWith("A") ? "B" : "A") + (secret ?? "").slice(1)}`;
    const unknownUser = `rt_usr_00000000000000000000000000.${"A".repeat(43)}`;
    for (const value of [
      "garbage",
      "rt_",
      unknownUser,
      flipped,
      `${tokens.refresh_token}x`,
      tokens.refresh_token.slice(0, -1),
      tenant.secretKey,
      `rt_${tokens.user?.id}.${"A".repeat(43)}`,
    ]) {
      await expectInvalidRefresh(await refresh(tenant, value));
    }
    // None of those touched the real token.
    expect((await refresh(tenant, tokens.refresh_token)).status).toBe(200);
  });

  it("a refresh token re-addressed to another user of the tenant (user id prefix swapped) is unknown there and stays usable", async () => {
    const [victim, attacker] = await Promise.all([signUp(tenant), signUp(tenant)]);
    const secret = victim.tokens.refresh_token.split(".")[1];
    const readdressed = `rt_${attacker.tokens.user?.id}.${secret}`;
    await expectInvalidRefresh(await refresh(tenant, readdressed));
    expect((await refresh(tenant, victim.tokens.refresh_token)).status).toBe(200);
    expect((await refresh(tenant, attacker.tokens.refresh_token)).status).toBe(200);
  });

  it("a banned user's refresh tokens fail, and unbanning does not revive them", async () => {
    const { tokens } = await signUp(tenant);
    const id = tokens.user?.id ?? "";
    expect((await call(`${tenant.base}/admin/users/${id}/ban`, { body: {}, token: tenant.secretKey })).status).toBe(200);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
    expect((await call(`${tenant.base}/admin/users/${id}/unban`, { method: "POST", token: tenant.secretKey })).status).toBe(200);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
    await expectInvalidToken(await me(tenant, tokens.access_token));
  });

  it("a deleted user's refresh tokens fail", async () => {
    const { tokens } = await signUp(tenant);
    const id = tokens.user?.id ?? "";
    expect((await call(`${tenant.base}/admin/users/${id}`, { method: "DELETE", token: tenant.secretKey })).status).toBe(204);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
  });

  it("missing, mistyped or oversize refresh_token: 400 validation_failed", async () => {
    const { tokens } = await signUp(tenant);
    expect(tokens.access_token.length).toBeGreaterThan(512);
    await expectProblem(await refresh(tenant, tokens.access_token), 400, "validation_failed");
    await expectProblem(await refresh(tenant, "x".repeat(4_000)), 400, "validation_failed");
    await expectProblem(await refresh(tenant, ""), 400, "validation_failed");
    await expectProblem(await call(`${tenant.base}/sessions/refresh`, { body: {} }), 400, "validation_failed");
    await expectProblem(await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: 42 } }), 400, "validation_failed");
  });

  it("another tenant's refresh token: 401 invalid_refresh_token, and it still works at home", async () => {
    const { tokens } = await signUp(other);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
    expect((await refresh(other, tokens.refresh_token)).status).toBe(200);
  });

  it("revoked session (DELETE /sessions/{id}): its refresh token fails", async () => {
    const { tokens } = await signUp(tenant);
    expect((await call(`${tenant.base}/sessions/${tokens.session_id}`, { method: "DELETE", token: tokens.access_token })).status).toBe(204);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
  });

  it("DELETE /sessions revokes the other sessions' refresh tokens, not the caller's", async () => {
    const { email, tokens } = await signUp(tenant);
    const second = await tokensOf(await signIn(tenant, email));
    const third = await tokensOf(await signIn(tenant, email));
    const response = await call(`${tenant.base}/sessions`, { method: "DELETE", token: second.access_token });
    expect(response.status).toBe(200);
    const { revoked } = await json<{ revoked: string[] }>(response);
    expect(revoked.sort()).toEqual([tokens.session_id, third.session_id].sort());
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
    await expectInvalidRefresh(await refresh(tenant, third.refresh_token));
    await expectInvalidToken(await me(tenant, tokens.access_token));
    await expectInvalidToken(await me(tenant, third.access_token));
    const kept = await tokensOf(await refresh(tenant, second.refresh_token));
    expect((await me(tenant, kept.access_token)).status).toBe(200);
  });

  it("password change revokes the other sessions' refresh tokens", async () => {
    const { email, password, tokens } = await signUp(tenant);
    const second = await tokensOf(await signIn(tenant, email));
    const change = await call(`${tenant.base}/me/password`, {
      token: second.access_token,
      body: { current_password: password, new_password: "an entirely new passphrase 77" },
    });
    expect(change.status).toBe(200);
    await expectInvalidRefresh(await refresh(tenant, tokens.refresh_token));
    expect((await refresh(tenant, second.refresh_token)).status).toBe(200);
  });
});

describe("refresh expiry (ManualClock)", () => {
  it("idle expiry: unused for more than 14 days", async () => {
    const { clock, call: send } = clockedApp();
    const { tokens } = await signUp(tenant);
    clock.advance(14 * DAY - MINUTE);
    const alive = await tokensOf(await refresh(tenant, tokens.refresh_token, send));
    clock.advance(14 * DAY + MINUTE);
    await expectInvalidRefresh(await refresh(tenant, alive.refresh_token, send));
    // Expired is not reuse: no refresh_token_reused for the earlier, rotated token either.
    expect((await refresh(tenant, tokens.refresh_token, send)).status).toBe(401);
  });

  it("absolute expiry: 30 days even when refreshed within the idle window", async () => {
    const { clock, call: send } = clockedApp();
    const { tokens } = await signUp(tenant);
    let current: TokenBody = tokens;
    for (let elapsed = 0; elapsed + 13 * DAY < 30 * DAY; elapsed += 13 * DAY) {
      clock.advance(13 * DAY);
      current = await tokensOf(await refresh(tenant, current.refresh_token, send));
      expect((await me(tenant, current.access_token, send)).status).toBe(200);
    }
    // 26 days in; 30 days plus a minute after sign-in the family is over.
    clock.advance(4 * DAY + MINUTE);
    await expectInvalidRefresh(await refresh(tenant, current.refresh_token, send));
  });

  it("the session list drops an idle-expired session", async () => {
    const { clock, call: send } = clockedApp();
    const { email, tokens } = await signUp(tenant);
    clock.advance(14 * DAY + MINUTE);
    const current = await tokensOf(
      await send(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() }),
    );
    const list = await send(`${tenant.base}/sessions`, { token: current.access_token });
    expect(list.status).toBe(200);
    const ids = (await json<{ data: { id: string }[] }>(list)).data.map((session) => session.id);
    expect(ids).not.toContain(tokens.session_id);
    expect(ids).toContain(current.session_id);
  });
});
