import { describe, expect, it } from "vitest";
import { expectProblem, freshIp, json, type TokenBody } from "./helpers";
import { allAuditEvents, jwtPayload } from "./admin-helpers";
import { ACCEPTED, emailApi, type EmailApi, emailTenant, lastMailTo, signUpVia, tokenIn, uniqueAddress } from "./email-helpers";
import { MINUTE } from "./token-helpers";
import type { TestTenant } from "./helpers";

async function requestLink(api: EmailApi, tenant: TestTenant, email: string): Promise<string> {
  const response = await api.call(`${tenant.base}/magic-links`, { body: { email }, ip: freshIp() });
  expect(response.status).toBe(202);
  expect(await json(response)).toEqual(ACCEPTED);
  return tokenIn(await lastMailTo(api, email));
}

const redeem = (api: EmailApi, tenant: TestTenant, token: string) =>
  api.call(`${tenant.base}/sessions/magic-link`, { body: { token }, ip: freshIp() });

describe("magic link sign-in", () => {
  it("signs in once with amr email and marks the address verified; the same link is refused afterwards", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const token = await requestLink(api, tenant, email);
    const response = await redeem(api, tenant, token);
    expect(response.status).toBe(200);
    const body = await json<TokenBody & { user: { email_verified: boolean } }>(response);
    expect(body.user.email_verified).toBe(true);
    expect(jwtPayload(body.access_token).amr).toEqual(["email"]);
    expect((await api.call(`${tenant.base}/me`, { token: body.access_token })).status).toBe(200);

    await expectProblem(await redeem(api, tenant, token), 400, "invalid_link_token");
    const failures = (await allAuditEvents(tenant, { type: "sign_in.failed" })).map((event) => event.data.reason);
    expect(failures).toEqual(["invalid_magic_link"]);
    expect(JSON.stringify(await allAuditEvents(tenant))).not.toContain(token);
  });

  it("lets an unverified user of a tenant that requires verification in, because the link proves the address", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { email: { verification: "required" } });
    const email = uniqueAddress();
    expect((await signUpVia(api, tenant, email)).status).toBe(201);
    const response = await redeem(api, tenant, await requestLink(api, tenant, email));
    expect(response.status).toBe(200);
  });

  it("expires after 15 minutes and refuses made-up tokens", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const token = await requestLink(api, tenant, email);
    api.clock.advance(15 * MINUTE + 1_000);
    await expectProblem(await redeem(api, tenant, token), 400, "invalid_link_token");
    await expectProblem(await redeem(api, tenant, "x".repeat(43)), 400, "invalid_link_token");
  });

  it("a link of one tenant does not sign in at another", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const other = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    await signUpVia(api, other, email);
    const token = await requestLink(api, tenant, email);
    await expectProblem(await redeem(api, other, token), 400, "invalid_link_token");
    expect((await redeem(api, tenant, token)).status).toBe(200);
  });
});
