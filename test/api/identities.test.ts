import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createTenant, expectProblem, freshIp, json, ORIGIN, signIn, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { expectNoPasswordMaterial, expectValidation, postIdentity, signUpOk, uniqueEmail } from "./identity-helpers";

interface WeakPasswordProblem {
  errors: { path: string; message: string; code: string }[];
}

describe("POST /t/{tenant}/api/v1/identities (sign-up)", () => {
  it("creates the account and signs it in", async () => {
    const tenant = await createTenant();
    const email = uniqueEmail();
    const response = await postIdentity(tenant, { email, password: STRONG_PASSWORD, name: "  Ann Example  " });
    expect(response.status).toBe(201);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const body = await json<TokenBody & { user: Record<string, unknown> }>(response);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(900);
    expect(body.access_token.split(".")).toHaveLength(3);
    expect(body.refresh_token.length).toBeGreaterThanOrEqual(32);
    expect(body.session_id).toMatch(/^ses_/);
    expect(body.user).toMatchObject({
      email,
      email_verified: false,
      name: "Ann Example",
      metadata: {},
      role: "user",
      banned: false,
      ban_reason: null,
    });
    expect(body.user.id).toMatch(/^usr_/);
    expectNoPasswordMaterial(body, STRONG_PASSWORD);

    const me = await call(`${tenant.base}/me`, { token: body.access_token });
    expect(me.status).toBe(200);
    expect((await json<{ id: string }>(me)).id).toBe(body.user.id);
  });

  it("normalises the email: trimmed and case-insensitive for uniqueness and sign-in", async () => {
    const tenant = await createTenant();
    const local = `Ann-${Date.now().toString(36)}`;
    const created = await postIdentity(tenant, { email: `  ${local}@Example.COM `, password: STRONG_PASSWORD });
    expect(created.status).toBe(201);
    const { user } = await json<{ user: { email: string } }>(created);
    expect(user.email).toBe(`${local}@Example.COM`);

    const lower = `${local.toLowerCase()}@example.com`;
    await expectProblem(await postIdentity(tenant, { email: lower, password: STRONG_PASSWORD }), 409, "email_taken");
    await expectProblem(await postIdentity(tenant, { email: lower.toUpperCase(), password: STRONG_PASSWORD }), 409, "email_taken");

    expect((await signIn(tenant, lower)).status).toBe(200);
    expect((await signIn(tenant, ` ${lower.toUpperCase()}`)).status).toBe(200);
  });

  it("accepts a password of exactly 12 and exactly 128 characters", async () => {
    const tenant = await createTenant();
    await signUpOk(tenant, uniqueEmail(), "Xk9#mQ2$vL7p");
    await signUpOk(tenant, uniqueEmail(), "Zq7!".repeat(31) + "wxyz");
  });

  it("rejects a password shorter than 12 characters with 422 weak_password", async () => {
    const tenant = await createTenant();
    const body = (await expectProblem(
      await postIdentity(tenant, { email: uniqueEmail(), password: "Xk9#mQ2$vL7" }),
      422,
      "weak_password",
    )) as unknown as WeakPasswordProblem;
    expect(body.errors[0]?.path).toBe("password");
    expect(body.errors[0]?.code).toBe("too_short");
  });

  it("counts password length in code points, not UTF-16 units", async () => {
    const tenant = await createTenant();
    // 11 code points, 14 UTF-16 units.
    const password = "pässwörd😀🔒🎉";
    expect(password.length).toBe(14);
    const body = (await expectProblem(
      await postIdentity(tenant, { email: uniqueEmail(), password }),
      422,
      "weak_password",
    )) as unknown as WeakPasswordProblem;
    expect(body.errors[0]).toMatchObject({ path: "password", code: "too_short" });
  });

  it("rejects a password longer than 128 characters at the schema: 400 validation_failed", async () => {
    const tenant = await createTenant();
    const response = await postIdentity(tenant, { email: uniqueEmail(), password: "Zq7!".repeat(32) + "w" });
    await expectValidation(response, ["password"]);
  });

  it.each(["password1234", "qwertyuiop123", "Password1234", "1qaz2wsx3edc"])(
    "rejects the common password %s with 422 weak_password",
    async (password) => {
      const tenant = await createTenant();
      const body = (await expectProblem(
        await postIdentity(tenant, { email: uniqueEmail(), password }),
        422,
        "weak_password",
      )) as unknown as WeakPasswordProblem;
      expect(body.errors[0]).toMatchObject({ path: "password", code: "too_common" });
    },
  );

  it("rejects a password equal to the email (any case) or to its local part", async () => {
    const tenant = await createTenant();
    const email = uniqueEmail("longlocal");
    for (const password of [email, email.toUpperCase(), email.split("@")[0] ?? ""]) {
      const body = (await expectProblem(
        await postIdentity(tenant, { email, password }),
        422,
        "weak_password",
      )) as unknown as WeakPasswordProblem;
      expect(body.errors[0]).toMatchObject({ path: "password", code: "contains_email" });
    }
  });

  it("lists every missing field", async () => {
    const tenant = await createTenant();
    await expectValidation(await postIdentity(tenant, {}), ["email", "password"]);
    await expectValidation(await postIdentity(tenant, { email: uniqueEmail() }), ["password"]);
    await expectValidation(await postIdentity(tenant, { password: STRONG_PASSWORD }), ["email"]);
    await expectValidation(await call(`${tenant.base}/identities`, { method: "POST", ip: freshIp() }), ["email", "password"]);
  });

  it("lists every field of the wrong type", async () => {
    const tenant = await createTenant();
    await expectValidation(await postIdentity(tenant, { email: 42, password: true, name: 7 }), ["email", "name", "password"]);
    await expectValidation(await postIdentity(tenant, { email: [uniqueEmail()], password: { value: STRONG_PASSWORD } }), [
      "email",
      "password",
    ]);
    await expectValidation(await postIdentity(tenant, { email: uniqueEmail(), password: STRONG_PASSWORD, name: "" }), ["name"]);
  });

  it("rejects a body that is JSON but not an object", async () => {
    const tenant = await createTenant();
    for (const rawBody of ["null", "[]", '"text"', "42"]) {
      const response = await call(`${tenant.base}/identities`, {
        rawBody,
        headers: { "Content-Type": "application/json" },
        ip: freshIp(),
      });
      await expectProblem(response, 400, "validation_failed");
    }
  });

  it.each([
    ["no at sign", "not-an-email"],
    ["no domain", "ann@"],
    ["no local part", "@example.com"],
    ["inner space", "ann example@example.com"],
    ["over 254 characters", `${"a".repeat(250)}@example.com`],
  ])("rejects an invalid email (%s) with 400 validation_failed", async (_label, email) => {
    const tenant = await createTenant();
    await expectValidation(await postIdentity(tenant, { email, password: STRONG_PASSWORD }), ["email"]);
  });

  it("rejects malformed JSON with 400 invalid_json", async () => {
    const tenant = await createTenant();
    for (const rawBody of ['{"email": "a@example.com", "password": ', "{not json}", "{'email': 1}"]) {
      const response = await call(`${tenant.base}/identities`, {
        rawBody,
        headers: { "Content-Type": "application/json" },
        ip: freshIp(),
      });
      await expectProblem(response, 400, "invalid_json");
    }
    const empty = await call(`${tenant.base}/identities`, {
      method: "POST",
      rawBody: "",
      headers: { "Content-Type": "application/json" },
      ip: freshIp(),
    });
    await expectProblem(empty, 400, "invalid_json");
  });

  it("rejects a body that is not declared as JSON with 415 unsupported_media_type", async () => {
    const tenant = await createTenant();
    const rawBody = JSON.stringify({ email: uniqueEmail(), password: STRONG_PASSWORD });
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"]) {
      const response = await call(`${tenant.base}/identities`, { rawBody, headers: { "Content-Type": contentType }, ip: freshIp() });
      await expectProblem(response, 415, "unsupported_media_type");
    }
    // No Content-Type at all: the runtime labels a string body text/plain.
    await expectProblem(await call(`${tenant.base}/identities`, { rawBody, ip: freshIp() }), 415, "unsupported_media_type");
  });

  it("accepts JSON with a charset parameter and in any case", async () => {
    const tenant = await createTenant();
    const rawBody = JSON.stringify({ email: uniqueEmail(), password: STRONG_PASSWORD });
    const response = await call(`${tenant.base}/identities`, {
      rawBody,
      headers: { "Content-Type": "Application/JSON; charset=utf-8" },
      ip: freshIp(),
    });
    expect(response.status).toBe(201);
  });

  it("rejects a body over 64 KiB with 413 payload_too_large", async () => {
    const tenant = await createTenant();
    const body = { email: uniqueEmail(), password: STRONG_PASSWORD, name: "x".repeat(64 * 1024) };
    await expectProblem(await postIdentity(tenant, body), 413, "payload_too_large");
  });

  it("rejects a streamed body over 64 KiB without Content-Length", async () => {
    const tenant = await createTenant();
    const chunk = new TextEncoder().encode(" ".repeat(8 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 10) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request(`${ORIGIN}${tenant.base}/identities`, {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    });
    expect(request.headers.has("Content-Length")).toBe(false);
    await expectProblem(await exports.default.fetch(request), 413, "payload_too_large");
  });

  it("answers 404 tenant_not_found for an unknown tenant", async () => {
    for (const slug of ["no-such-tenant-here", "Not_A_Slug", "x".repeat(60)]) {
      const response = await call(`/t/${slug}/api/v1/identities`, { body: { email: uniqueEmail(), password: STRONG_PASSWORD }, ip: freshIp() });
      await expectProblem(response, 404, "tenant_not_found");
    }
  });

  it("keeps tenants apart: a user of A cannot sign in on B, and the same email may sign up in both", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const email = uniqueEmail("shared");
    const inA = await signUpOk(a, email);
    await expectProblem(await signIn(b, email), 401, "invalid_credentials");

    const inB = await signUpOk(b, email, "a different passphrase 77");
    expect(inB.user?.id).not.toBe(inA.user?.id);
    await expectProblem(await signIn(b, email), 401, "invalid_credentials");
    expect((await signIn(b, email, "a different passphrase 77")).status).toBe(200);
    expect((await signIn(a, email)).status).toBe(200);
    await expectProblem(await signIn(a, email, "a different passphrase 77"), 401, "invalid_credentials");
  });
});
