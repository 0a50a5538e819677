import { beforeAll, describe, expect, it } from "vitest";
import { call, createTenant, expectProblem, json, signIn, signUp, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";
import {
  admin,
  claimsOf,
  expectInvalidToken,
  getJwks,
  headerOf,
  kidsOf,
  me,
  mint,
  refresh,
  tenantSigningKey,
  tokensOf,
} from "./token-helpers";

let a: TestTenant;
let b: TestTenant;
let alice: { email: string; tokens: TokenBody };
let bob: { email: string; tokens: TokenBody };

beforeAll(async () => {
  [a, b] = await Promise.all([createTenant(), createTenant()]);
  [alice, bob] = await Promise.all([signUp(a), signUp(b)]);
});

const idOf = (user: { tokens: TokenBody }): string => user.tokens.user?.id ?? "";

describe("tenant isolation", () => {
  it("A's access token on B's /me: 401 invalid_token (and it still works on A)", async () => {
    await expectInvalidToken(await me(b, alice.tokens.access_token));
    await expectInvalidToken(await call(`${b.base}/sessions`, { token: alice.tokens.access_token }));
    expect((await me(a, alice.tokens.access_token)).status).toBe(200);
  });

  it("a token signed with A's key but claiming B's issuer and audience is refused by B", async () => {
    const keyA = await tenantSigningKey(a);
    const forged = await mint(keyA, alice.tokens.access_token, { claims: { iss: b.issuer, aud: b.issuer, sub: idOf(bob), sid: bob.tokens.session_id } });
    await expectInvalidToken(await me(b, forged));
  });

  it("a token signed with B's key claiming A's issuer is refused by A, and by B", async () => {
    const keyB = await tenantSigningKey(b);
    const forged = await mint(keyB, alice.tokens.access_token);
    expect(claimsOf(forged).iss).toBe(a.issuer);
    await expectInvalidToken(await me(a, forged));
    await expectInvalidToken(await me(b, forged));
    // Even carrying A's kid, B's key does not make it A's token.
    const withKidA = await mint({ ...keyB, kid: headerOf(alice.tokens.access_token).kid ?? "" }, alice.tokens.access_token);
    await expectInvalidToken(await me(a, withKidA));
  });

  it("A's refresh token on B: 401 invalid_refresh_token, and it still rotates on A", async () => {
    await expectProblem(await refresh(b, alice.tokens.refresh_token), 401, "invalid_refresh_token");
    const rotated = await tokensOf(await refresh(a, alice.tokens.refresh_token));
    expect((await me(a, rotated.access_token)).status).toBe(200);
    alice = { ...alice, tokens: { ...alice.tokens, ...rotated } };
  });

  it("A's secret key on B's admin API: 401 invalid_api_key with a Bearer challenge", async () => {
    for (const [method, path, body] of [
      ["GET", "/users", undefined],
      ["GET", `/users/${idOf(bob)}`, undefined],
      ["GET", "/settings", undefined],
      ["PATCH", "/settings", { signing_algorithm: "ES256" }],
      ["GET", "/signing-keys", undefined],
      ["POST", "/signing-keys/rotate", undefined],
      ["POST", `/users/${idOf(bob)}/ban`, {}],
      ["DELETE", `/users/${idOf(bob)}`, undefined],
      ["GET", "/api-keys", undefined],
      ["GET", "/audit-events", undefined],
    ] as const) {
      const response = await admin(b, path, { method, body, token: a.secretKey });
      expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
      await expectProblem(response, 401, "invalid_api_key");
    }
    // Nothing happened to B.
    expect((await me(b, bob.tokens.access_token)).status).toBe(200);
    const settings = await json<{ signing_algorithm: string }>(await admin(b, "/settings"));
    expect(settings.signing_algorithm).toBe("RS256");
    expect((await admin(a, "/settings")).status).toBe(200);
  });

  it("B's admin cannot read, change, ban or delete A's user: 404", async () => {
    const id = idOf(alice);
    await expectProblem(await admin(b, `/users/${id}`), 404, "not_found");
    await expectProblem(await admin(b, `/users/${id}`, { method: "PATCH", body: { name: "Mallory" } }), 404, "not_found");
    await expectProblem(await admin(b, `/users/${id}/ban`, { body: {} }), 404, "not_found");
    await expectProblem(await admin(b, `/users/${id}/unban`, { method: "POST" }), 404, "not_found");
    await expectProblem(await admin(b, `/users/${id}`, { method: "DELETE" }), 404, "not_found");
    // A's user is intact and still signed in.
    const response = await admin(a, `/users/${id}`);
    expect(response.status).toBe(200);
    const user = await json<{ name: string | null; banned: boolean }>(response);
    expect(user.name).not.toBe("Mallory");
    expect(user.banned).toBe(false);
    expect((await me(a, alice.tokens.access_token)).status).toBe(200);
  });

  it("an admin user's access token of A is admin on A only", async () => {
    const boss = await signUp(a);
    const promote = await admin(a, `/users/${idOf(boss)}`, { method: "PATCH", body: { role: "admin" } });
    expect(promote.status).toBe(200);
    expect((await admin(a, "/users", { token: boss.tokens.access_token })).status).toBe(200);
    const response = await admin(b, "/users", { token: boss.tokens.access_token });
    await expectInvalidToken(response);
    await expectInvalidToken(await admin(b, `/users/${idOf(bob)}/ban`, { body: {}, token: boss.tokens.access_token }));
    expect((await me(b, bob.tokens.access_token)).status).toBe(200);
  });

  it("B's admin user list and search never show A's users", async () => {
    const list = await admin(b, `/users?limit=100&query=${encodeURIComponent(alice.email)}`);
    expect(list.status).toBe(200);
    const found = await json<{ data: { id: string }[] }>(list);
    expect(found.data.map((user) => user.id)).not.toContain(idOf(alice));
    const all = await json<{ data: { id: string }[] }>(await admin(b, "/users?limit=100"));
    expect(all.data.map((user) => user.id)).toContain(idOf(bob));
    expect(all.data.map((user) => user.id)).not.toContain(idOf(alice));
  });

  it("A's kid is not in B's JWKS, and the key sets are disjoint", async () => {
    const kidA = headerOf(alice.tokens.access_token).kid ?? "";
    const jwksA = (await getJwks(a)).jwks;
    const jwksB = (await getJwks(b)).jwks;
    expect(kidsOf(jwksA)).toContain(kidA);
    expect(kidsOf(jwksB)).not.toContain(kidA);
    expect(kidsOf(jwksA).filter((kid) => kidsOf(jwksB).includes(kid))).toEqual([]);
    const modulusA = jwksA.keys.map((key) => key.n);
    expect(jwksB.keys.some((key) => modulusA.includes(key.n))).toBe(false);
  });

  it("a user of A cannot revoke a session of B, nor of another user of A", async () => {
    await expectInvalidToken(await call(`${b.base}/sessions/${bob.tokens.session_id}`, { method: "DELETE", token: alice.tokens.access_token }));
    await expectProblem(
      await call(`${a.base}/sessions/${bob.tokens.session_id}`, { method: "DELETE", token: alice.tokens.access_token }),
      404,
      "not_found",
    );
    const carol = await signUp(a);
    await expectProblem(
      await call(`${a.base}/sessions/${carol.tokens.session_id}`, { method: "DELETE", token: alice.tokens.access_token }),
      404,
      "not_found",
    );
    expect((await me(a, carol.tokens.access_token)).status).toBe(200);
    expect((await me(b, bob.tokens.access_token)).status).toBe(200);
  });

  it("the same email is a separate account in each tenant; passwords do not cross", async () => {
    const email = alice.email;
    const twin = await call(`${b.base}/identities`, { body: { email, password: "a different passphrase for b 9" } });
    expect(twin.status).toBe(201);
    const twinTokens = await json<TokenBody>(twin);
    expect(twinTokens.user?.id).not.toBe(idOf(alice));
    await expectProblem(await signIn(b, email, STRONG_PASSWORD), 401, "invalid_credentials");
    expect((await signIn(a, email, STRONG_PASSWORD)).status).toBe(200);
    // Banning the twin in B leaves A's account alone.
    expect((await admin(b, `/users/${twinTokens.user?.id}/ban`, { body: {} })).status).toBe(200);
    expect((await me(a, alice.tokens.access_token)).status).toBe(200);
  });

  it("A's secret key revoked on A does not matter to B, and B's own key keeps working", async () => {
    const created = await admin(a, "/api-keys", { body: { name: "second" } });
    expect(created.status).toBe(201);
    const second = await json<{ id: string; secret: string }>(created);
    await expectProblem(await admin(b, "/users", { token: second.secret }), 401, "invalid_api_key");
    expect((await admin(b, `/api-keys/${second.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await admin(a, "/users", { token: second.secret })).status).toBe(200);
    expect((await admin(b, "/users")).status).toBe(200);
  });
});
