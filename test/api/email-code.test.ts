import { describe, expect, it } from "vitest";
import { expectProblem, freshIp, json, type TokenBody } from "./helpers";
import { allAuditEvents, jwtPayload } from "./admin-helpers";
import { ACCEPTED, codeIn, emailApi, type EmailApi, emailTenant, lastMailTo, signUpVia, uniqueAddress } from "./email-helpers";
import { MINUTE } from "./token-helpers";
import type { TestTenant } from "./helpers";

async function requestCode(api: EmailApi, tenant: TestTenant, email: string): Promise<string> {
  const response = await api.call(`${tenant.base}/email-codes`, { body: { email }, ip: freshIp() });
  expect(response.status).toBe(202);
  expect(await json(response)).toEqual(ACCEPTED);
  return codeIn(await lastMailTo(api, email));
}

const submit = (api: EmailApi, tenant: TestTenant, email: string, code: string) =>
  api.call(`${tenant.base}/sessions/email-code`, { body: { email, code }, ip: freshIp() });

const wrongOf = (code: string): string => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

describe("email code sign-in", () => {
  it("the right code signs in once (amr otp+email), with the address typed in another case", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const code = await requestCode(api, tenant, email);
    expect(code).toMatch(/^\d{6}$/);
    expect((await lastMailTo(api, email)).subject).not.toContain(code); // subjects show on lock screens
    const response = await submit(api, tenant, email.toUpperCase(), code);
    expect(response.status).toBe(200);
    const body = await json<TokenBody & { user: { email_verified: boolean } }>(response);
    expect(jwtPayload(body.access_token).amr).toEqual(["otp", "email"]);
    expect(body.user.email_verified).toBe(true);
    await expectProblem(await submit(api, tenant, email, code), 401, "invalid_code");
    expect(JSON.stringify(await allAuditEvents(tenant))).not.toContain(`"${code}"`);
  });

  it("a wrong code is refused and the right one still works within the attempt limit", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const code = await requestCode(api, tenant, email);
    await expectProblem(await submit(api, tenant, email, wrongOf(code)), 401, "invalid_code");
    expect((await submit(api, tenant, email, code)).status).toBe(200);
  });

  it("brute force: after code_attempts wrong tries the code is void, even the right one", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { rate_limits: { code_attempts: 3 } });
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const code = await requestCode(api, tenant, email);
    for (let i = 0; i < 2; i++) await expectProblem(await submit(api, tenant, email, wrongOf(code)), 401, "invalid_code");
    await expectProblem(await submit(api, tenant, email, wrongOf(code)), 429, "too_many_attempts");
    await expectProblem(await submit(api, tenant, email, code), 401, "invalid_code");
    const reasons = (await allAuditEvents(tenant, { type: "sign_in.failed" })).map((event) => event.data.reason);
    expect(reasons).toContain("email_code_attempts_exceeded");

    // A new code replaces the void one.
    const fresh = await requestCode(api, tenant, email);
    expect((await submit(api, tenant, email, fresh)).status).toBe(200);
  });

  it("a new code replaces the previous one, and codes expire after 15 minutes", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const first = await requestCode(api, tenant, email);
    const second = await requestCode(api, tenant, email);
    if (first !== second) await expectProblem(await submit(api, tenant, email, first), 401, "invalid_code");
    api.clock.advance(15 * MINUTE + 1_000);
    await expectProblem(await submit(api, tenant, email, second), 401, "invalid_code");
  });

  it("a code for an address without a code (or account) is invalid_code, and malformed codes are 400", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    await expectProblem(await submit(api, tenant, uniqueAddress("nobody"), "123456"), 401, "invalid_code");
    await expectProblem(await submit(api, tenant, uniqueAddress(), "12345"), 400, "validation_failed");
  });
});
