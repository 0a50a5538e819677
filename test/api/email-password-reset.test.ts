import { describe, expect, it } from "vitest";
import { expectProblem, freshIp, json, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { allAuditEvents } from "./admin-helpers";
import { ACCEPTED, emailApi, type EmailApi, emailTenant, lastMailTo, linkIn, mailTo, signUpVia, tokenIn, uniqueAddress } from "./email-helpers";
import { MINUTE } from "./token-helpers";
import type { TestTenant } from "./helpers";

const NEW_PASSWORD = "a brand new passphrase for 2027";

async function requestReset(api: EmailApi, tenant: TestTenant, email: string, extra: Record<string, unknown> = {}) {
  const response = await api.call(`${tenant.base}/password-reset`, { body: { email, ...extra }, ip: freshIp() });
  expect(response.status).toBe(202);
  expect(await json(response)).toEqual(ACCEPTED);
  return tokenIn(await lastMailTo(api, email));
}

const confirm = (api: EmailApi, tenant: TestTenant, token: string, new_password = NEW_PASSWORD) =>
  api.call(`${tenant.base}/password-reset/confirm`, { body: { token, new_password } });

const signIn = (api: EmailApi, tenant: TestTenant, email: string, password: string) =>
  api.call(`${tenant.base}/sessions`, { body: { email, password }, ip: freshIp() });

describe("password reset", () => {
  it("sets the password once, revokes every session, verifies the address, voids other links and mails a notice", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    const first = await json<TokenBody>(await signUpVia(api, tenant, email));
    const second = await json<TokenBody>(await signIn(api, tenant, email, STRONG_PASSWORD));

    const older = await requestReset(api, tenant, email);
    const token = await requestReset(api, tenant, email);
    const done = await confirm(api, tenant, token);
    expect(done.status).toBe(200);
    expect(await json(done)).toEqual({ status: "password_reset", revoked_sessions: 2 });

    await expectProblem(await confirm(api, tenant, token), 400, "invalid_link_token");
    await expectProblem(await confirm(api, tenant, older), 400, "invalid_link_token");
    for (const session of [first, second]) {
      expect((await api.call(`${tenant.base}/me`, { token: session.access_token })).status).toBe(401);
      await expectProblem(await api.call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: session.refresh_token } }), 401, "invalid_refresh_token");
    }
    await expectProblem(await signIn(api, tenant, email, STRONG_PASSWORD), 401, "invalid_credentials");
    const signedIn = await json<TokenBody & { user: { email_verified: boolean } }>(await signIn(api, tenant, email, NEW_PASSWORD));
    expect(signedIn.user.email_verified).toBe(true);

    const notice = await lastMailTo(api, email);
    expect(notice.subject).toBe(`Your Tenant ${tenant.slug} password was changed`);
    const events = await allAuditEvents(tenant);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["password_reset.requested", "password_reset.completed"]));
    const serialized = JSON.stringify(events);
    for (const secret of [token, older, NEW_PASSWORD]) expect(serialized).not.toContain(secret);
  });

  it("a weak new password is 422 and writes nothing: the old password still works and the token stays usable", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    const session = await json<TokenBody>(await signUpVia(api, tenant, email));
    const token = await requestReset(api, tenant, email);
    await expectProblem(await confirm(api, tenant, token, "password"), 422, "weak_password");
    await expectProblem(await confirm(api, tenant, token, email), 422, "weak_password");
    expect((await api.call(`${tenant.base}/me`, { token: session.access_token })).status).toBe(200);
    expect((await signIn(api, tenant, email, STRONG_PASSWORD)).status).toBe(200);
    expect((await confirm(api, tenant, token)).status).toBe(200);
  });

  it("a reset link expires after 15 minutes", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const token = await requestReset(api, tenant, email);
    api.clock.advance(15 * MINUTE + 1_000);
    await expectProblem(await confirm(api, tenant, token), 400, "invalid_link_token");
    expect((await signIn(api, tenant, email, STRONG_PASSWORD)).status).toBe(200);
  });

  it("links go to redirect_url or the tenant's link_base_url", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { email: { link_base_url: "https://app.example/auth/link" } });
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    await requestReset(api, tenant, email);
    const link = linkIn(await lastMailTo(api, email));
    expect(`${link?.origin}${link?.pathname}`).toBe("https://app.example/auth/link");
    expect(link?.searchParams.get("type")).toBe("password_reset");

    await requestReset(api, tenant, email, { redirect_url: "https://app.example/reset?lang=en" });
    const custom = linkIn(await lastMailTo(api, email));
    expect(custom?.searchParams.get("lang")).toBe("en");
    expect(custom?.pathname).toBe("/reset");
    const token = custom?.searchParams.get("token") ?? "";
    expect((await confirm(api, tenant, token)).status).toBe(200);

    const refused = await api.call(`${tenant.base}/password-reset`, { body: { email, redirect_url: "https://evil.example/" }, ip: freshIp() });
    await expectProblem(refused, 400, "validation_failed");
    expect(await mailTo(api, email)).toHaveLength(4); // verification, two resets, the changed notice
  });
});
