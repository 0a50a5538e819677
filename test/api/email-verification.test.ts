import { describe, expect, it } from "vitest";
import { expectProblem, freshIp, json, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { ACCEPTED, emailApi, emailTenant, lastMailTo, linkIn, mailTo, signUpVia, tokenIn, uniqueAddress } from "./email-helpers";
import { allAuditEvents } from "./admin-helpers";
import { MINUTE } from "./token-helpers";

interface UserBody {
  id: string;
  email_verified: boolean;
}

describe("email verification, optional mode (default)", () => {
  it("sign-up still answers with tokens and mails a verification token that works once", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    const signUp = await signUpVia(api, tenant, email);
    expect(signUp.status).toBe(201);
    const tokens = await json<TokenBody & { user: UserBody }>(signUp);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.user.email_verified).toBe(false);

    const message = await lastMailTo(api, email);
    expect(message.subject).toBe(`Confirm your email for Tenant ${tenant.slug}`);
    expect(message.from).toBe(`Tenant ${tenant.slug} <no-reply@localhost>`);
    expect(linkIn(message)).toBeNull(); // no link base configured: the token is there to paste
    const token = tokenIn(message);

    const confirm = await api.call(`${tenant.base}/email-verification/confirm`, { body: { token } });
    expect(confirm.status).toBe(200);
    const confirmed = await json<{ status: string; user: UserBody }>(confirm);
    expect(confirmed).toMatchObject({ status: "verified", user: { id: tokens.user.id, email_verified: true } });
    await expectProblem(await api.call(`${tenant.base}/email-verification/confirm`, { body: { token } }), 400, "invalid_link_token");

    const me = await json<UserBody>(await api.call(`${tenant.base}/me`, { token: tokens.access_token }));
    expect(me.email_verified).toBe(true);
    const types = (await allAuditEvents(tenant)).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["email.verification_sent", "email.verified"]));
    expect(JSON.stringify(await allAuditEvents(tenant))).not.toContain(token);
  });

  it("the signed-in re-send uses redirect_url on an allowed origin and refuses any other", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    const { access_token } = await json<TokenBody>(await signUpVia(api, tenant, email));
    const resend = await api.call(`${tenant.base}/email-verification`, {
      body: { redirect_url: "https://app.example/verify" },
      token: access_token,
      ip: freshIp(),
    });
    expect(resend.status).toBe(202);
    expect(await json(resend)).toEqual(ACCEPTED);
    const link = linkIn(await lastMailTo(api, email));
    expect(link?.origin + (link?.pathname ?? "")).toBe("https://app.example/verify");
    expect(link?.searchParams.get("type")).toBe("email_verification");
    expect(link?.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    for (const redirect_url of ["https://evil.example/verify", "https://app.example.evil.example/", "javascript:alert(1)", "https://user:pw@app.example/"]) {
      const refused = await api.call(`${tenant.base}/email-verification`, { body: { redirect_url }, token: access_token, ip: freshIp() });
      await expectProblem(refused, 400, "validation_failed");
    }
    expect(await mailTo(api, email)).toHaveLength(2);

    const token = link?.searchParams.get("token") ?? "";
    expect((await api.call(`${tenant.base}/email-verification/confirm`, { body: { token } })).status).toBe(200);
    await expectProblem(await api.call(`${tenant.base}/email-verification`, { body: {}, token: access_token }), 409, "conflict");
  });

  it("a verification token expires after 15 minutes", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const token = tokenIn(await lastMailTo(api, email));
    api.clock.advance(15 * MINUTE + 1);
    await expectProblem(await api.call(`${tenant.base}/email-verification/confirm`, { body: { token } }), 400, "invalid_link_token");
  });
});

describe("email verification, required mode", () => {
  it("sign-up creates the user without a session; password sign-in is refused until the address is verified", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { email: { verification: "required" } });
    const email = uniqueAddress();
    const signUp = await signUpVia(api, tenant, email);
    expect(signUp.status).toBe(201);
    const body = await json<Record<string, unknown> & { user: UserBody }>(signUp);
    expect(body.status).toBe("email_verification_required");
    expect(body.user.email_verified).toBe(false);
    expect(body).not.toHaveProperty("access_token");
    expect(body).not.toHaveProperty("refresh_token");

    const signIn = () => api.call(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
    await expectProblem(await signIn(), 403, "email_not_verified");
    // A wrong password still answers invalid_credentials: email_not_verified is only said to whoever knows the password.
    const wrong = await api.call(`${tenant.base}/sessions`, { body: { email, password: "wrong password entirely" }, ip: freshIp() });
    await expectProblem(wrong, 401, "invalid_credentials");

    // Without a session the user can ask for a new link by address.
    const resend = await api.call(`${tenant.base}/email-verification`, { body: { email }, ip: freshIp() });
    expect(resend.status).toBe(202);
    expect(await mailTo(api, email)).toHaveLength(2);
    const token = tokenIn(await lastMailTo(api, email));
    expect((await api.call(`${tenant.base}/email-verification/confirm`, { body: { token } })).status).toBe(200);
    expect((await signIn()).status).toBe(200);
  });

  it("an anonymous re-send to an unknown or already verified address answers the same and sends nothing", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { email: { verification: "required" } });
    const unknown = uniqueAddress("nobody");
    const response = await api.call(`${tenant.base}/email-verification`, { body: { email: unknown }, ip: freshIp() });
    expect(response.status).toBe(202);
    expect(await json(response)).toEqual(ACCEPTED);
    expect(await mailTo(api, unknown)).toEqual([]);
    await expectProblem(await api.call(`${tenant.base}/email-verification`, { body: {}, ip: freshIp() }), 400, "validation_failed");
  });
});
