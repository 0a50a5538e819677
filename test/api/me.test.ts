import { describe, expect, it } from "vitest";
import { call, createTenant, expectProblem, json, signIn, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";
import { expectNoPasswordMaterial, expectValidation, signUpOk, uniqueEmail } from "./identity-helpers";

const NEW_PASSWORD = "a brand new passphrase 2027";

interface UserBody {
  id: string;
  email: string;
  name: string | null;
  metadata: Record<string, unknown>;
  updated_at: string;
}

async function signedInUser(tenant?: TestTenant) {
  const t = tenant ?? (await createTenant());
  const email = uniqueEmail("me");
  const tokens = await signUpOk(t, email);
  return { tenant: t, email, tokens };
}

describe("GET /t/{tenant}/api/v1/me", () => {
  it("returns the signed-in user without password material, never cached", async () => {
    const { tenant, email, tokens } = await signedInUser();
    const response = await call(`${tenant.base}/me`, { token: tokens.access_token });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const user = await json<UserBody & Record<string, unknown>>(response);
    expect(user).toMatchObject({ id: tokens.user?.id, email, email_verified: false, name: null, metadata: {}, role: "user", banned: false });
    expect(Date.parse(user.created_at as string)).not.toBeNaN();
    expectNoPasswordMaterial(user, STRONG_PASSWORD);
  });

  it("without credentials: 401 unauthorized with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
    const tenant = await createTenant();
    const response = await call(`${tenant.base}/me`);
    await expectProblem(response, 401, "unauthorized");
    expect(response.headers.get("WWW-Authenticate")).toBe('Bearer realm="plinto"');
  });

  it.each([
    ["a garbage token", "Bearer garbage"],
    ["a JWT-shaped garbage token", "Bearer aaaa.bbbb.cccc"],
    ["an empty bearer token", "Bearer "],
    ["a token with characters outside b64token", "Bearer not a token"],
  ])("with %s: 401 invalid_token and error=\"invalid_token\"", async (_label, authorization) => {
    const tenant = await createTenant();
    const response = await call(`${tenant.base}/me`, { headers: { Authorization: authorization } });
    await expectProblem(response, 401, "invalid_token");
    const challenge = response.headers.get("WWW-Authenticate") ?? "";
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="invalid_token"');
  });

  it("rejects a token whose signature was tampered with", async () => {
    const { tenant, tokens } = await signedInUser();
    const [header, payload, signature] = tokens.access_token.split(".");
    const flipped = `${signature?.startsWith("A") ? "B" : "A"}${signature?.slice(1)}`;
    const response = await call(`${tenant.base}/me`, { token: `${header}.${payload}.${flipped}` });
    await expectProblem(response, 401, "invalid_token");
  });

  it("rejects a token of tenant A on tenant B", async () => {
    const { tokens } = await signedInUser();
    const other = await createTenant();
    const response = await call(`${other.base}/me`, { token: tokens.access_token });
    await expectProblem(response, 401, "invalid_token");
    expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("answers 404 tenant_not_found on an unknown tenant before looking at the token", async () => {
    const { tokens } = await signedInUser();
    await expectProblem(await call(`/t/no-such-tenant-me/api/v1/me`, { token: tokens.access_token }), 404, "tenant_not_found");
  });
});

describe("PATCH /t/{tenant}/api/v1/me", () => {
  it("updates name and metadata, and GET shows the change", async () => {
    const { tenant, tokens } = await signedInUser();
    const metadata = { theme: "dark", locale: "en-GB", nested: { a: [1, 2, 3] } };
    const response = await call(`${tenant.base}/me`, { method: "PATCH", token: tokens.access_token, body: { name: "  Ann  ", metadata } });
    expect(response.status).toBe(200);
    const updated = await json<UserBody>(response);
    expect(updated).toMatchObject({ id: tokens.user?.id, name: "Ann", metadata });

    const me = await json<UserBody>(await call(`${tenant.base}/me`, { token: tokens.access_token }));
    expect(me).toMatchObject({ name: "Ann", metadata });

    // Only the sent fields change; null clears the name.
    const cleared = await call(`${tenant.base}/me`, { method: "PATCH", token: tokens.access_token, body: { name: null } });
    expect(cleared.status).toBe(200);
    expect(await json<UserBody>(cleared)).toMatchObject({ name: null, metadata });

    const untouched = await call(`${tenant.base}/me`, { method: "PATCH", token: tokens.access_token, body: {} });
    expect(untouched.status).toBe(200);
    expect(await json<UserBody>(untouched)).toMatchObject({ name: null, metadata });
  });

  it("rejects unknown fields (strict), naming each of them", async () => {
    const { tenant, tokens } = await signedInUser();
    const response = await call(`${tenant.base}/me`, {
      method: "PATCH",
      token: tokens.access_token,
      body: { name: "Ann", nickname: "annie", role: "admin" },
    });
    await expectValidation(response, ["nickname", "role"]);
    const me = await json<UserBody & { role: string }>(await call(`${tenant.base}/me`, { token: tokens.access_token }));
    expect(me.role).toBe("user");
    expect(me.name).toBeNull();
  });

  it("rejects wrong types and oversize values, listing the fields", async () => {
    const { tenant, tokens } = await signedInUser();
    const patch = (body: unknown) => call(`${tenant.base}/me`, { method: "PATCH", token: tokens.access_token, body });
    await expectValidation(await patch({ name: 5, metadata: "x" }), ["metadata", "name"]);
    await expectValidation(await patch({ name: "" }), ["name"]);
    await expectValidation(await patch({ name: "n".repeat(201) }), ["name"]);
    await expectValidation(await patch({ metadata: [1, 2] }), ["metadata"]);
    await expectValidation(await patch({ metadata: { blob: "x".repeat(9_000) } }), ["metadata"]);
  });

  it("rejects malformed JSON and non-JSON bodies", async () => {
    const { tenant, tokens } = await signedInUser();
    const bad = await call(`${tenant.base}/me`, {
      method: "PATCH",
      token: tokens.access_token,
      rawBody: "{name:",
      headers: { "Content-Type": "application/json" },
    });
    await expectProblem(bad, 400, "invalid_json");
    const text = await call(`${tenant.base}/me`, {
      method: "PATCH",
      token: tokens.access_token,
      rawBody: '{"name":"x"}',
      headers: { "Content-Type": "text/plain" },
    });
    await expectProblem(text, 415, "unsupported_media_type");
  });

  it("requires a token", async () => {
    const tenant = await createTenant();
    const response = await call(`${tenant.base}/me`, { method: "PATCH", body: { name: "Ann" } });
    await expectProblem(response, 401, "unauthorized");
    expect(response.headers.get("WWW-Authenticate")).toBe('Bearer realm="plinto"');
  });
});

describe("POST /t/{tenant}/api/v1/me/password", () => {
  it("rejects a wrong current password with 401 invalid_credentials and keeps the old password", async () => {
    const { tenant, email, tokens } = await signedInUser();
    const response = await call(`${tenant.base}/me/password`, {
      token: tokens.access_token,
      body: { current_password: "not the right passphrase", new_password: NEW_PASSWORD },
    });
    await expectProblem(response, 401, "invalid_credentials");
    // A wrong current password is not a bad access token: no bearer challenge.
    expect(response.headers.get("WWW-Authenticate")).toBeNull();
    expect((await call(`${tenant.base}/me`, { token: tokens.access_token })).status).toBe(200);
    expect((await signIn(tenant, email)).status).toBe(200);
    await expectProblem(await signIn(tenant, email, NEW_PASSWORD), 401, "invalid_credentials");
  });

  it.each([
    ["too short", "short pass1", "too_short"],
    ["common", "password1234", "too_common"],
  ])("rejects a %s new password with 422 weak_password on new_password", async (_label, newPassword, code) => {
    const { tenant, email, tokens } = await signedInUser();
    const body = (await expectProblem(
      await call(`${tenant.base}/me/password`, {
        token: tokens.access_token,
        body: { current_password: STRONG_PASSWORD, new_password: newPassword },
      }),
      422,
      "weak_password",
    )) as unknown as { errors: { path: string; code: string }[] };
    expect(body.errors[0]).toMatchObject({ path: "new_password", code });
    expect((await signIn(tenant, email)).status).toBe(200);
  });

  it("rejects a new password equal to the email", async () => {
    const { tenant, email, tokens } = await signedInUser();
    const body = (await expectProblem(
      await call(`${tenant.base}/me/password`, {
        token: tokens.access_token,
        body: { current_password: STRONG_PASSWORD, new_password: email.toUpperCase() },
      }),
      422,
      "weak_password",
    )) as unknown as { errors: { path: string; code: string }[] };
    expect(body.errors[0]).toMatchObject({ path: "new_password", code: "contains_email" });
  });

  it("validates the body, listing the failing fields", async () => {
    const { tenant, tokens } = await signedInUser();
    const post = (body: unknown) => call(`${tenant.base}/me/password`, { token: tokens.access_token, body });
    await expectValidation(await post({}), ["current_password", "new_password"]);
    await expectValidation(await post({ current_password: 1, new_password: false }), ["current_password", "new_password"]);
    await expectValidation(await post({ current_password: STRONG_PASSWORD, new_password: "x".repeat(129) }), ["new_password"]);
  });

  it("requires a token", async () => {
    const tenant = await createTenant();
    const response = await call(`${tenant.base}/me/password`, { body: { current_password: STRONG_PASSWORD, new_password: NEW_PASSWORD } });
    await expectProblem(response, 401, "unauthorized");
  });

  it("changes the password and revokes every other session, keeping the current one", async () => {
    const { tenant, email, tokens: current } = await signedInUser();
    const others: TokenBody[] = [];
    for (let i = 0; i < 2; i += 1) {
      const response = await signIn(tenant, email);
      expect(response.status).toBe(200);
      others.push(await json<TokenBody>(response));
    }

    const response = await call(`${tenant.base}/me/password`, {
      token: current.access_token,
      body: { current_password: STRONG_PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const { revoked } = await json<{ revoked: string[] }>(response);
    expect([...revoked].sort()).toEqual(others.map((other) => other.session_id).sort());
    expect(revoked).not.toContain(current.session_id);

    for (const other of others) {
      const me = await call(`${tenant.base}/me`, { token: other.access_token });
      await expectProblem(me, 401, "invalid_token");
      expect(me.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
      const refreshed = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: other.refresh_token } });
      await expectProblem(refreshed, 401, "invalid_refresh_token");
    }

    expect((await call(`${tenant.base}/me`, { token: current.access_token })).status).toBe(200);
    const refreshed = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: current.refresh_token } });
    expect(refreshed.status).toBe(200);
    const next = await json<TokenBody>(refreshed);
    expect(next.session_id).toBe(current.session_id);
    const sessions = await json<{ data: { id: string }[] }>(await call(`${tenant.base}/sessions`, { token: next.access_token }));
    expect(sessions.data.map((session) => session.id)).toEqual([current.session_id]);

    await expectProblem(await signIn(tenant, email), 401, "invalid_credentials");
    const signedIn = await signIn(tenant, email, NEW_PASSWORD);
    expect(signedIn.status).toBe(200);

    // The old password no longer counts as the current one either.
    const again = await call(`${tenant.base}/me/password`, {
      token: next.access_token,
      body: { current_password: STRONG_PASSWORD, new_password: "yet another passphrase 31" },
    });
    await expectProblem(again, 401, "invalid_credentials");
  });
});
