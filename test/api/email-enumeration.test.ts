import { describe, expect, it } from "vitest";
import { ManualClock } from "@plinto/core";
import { buildApp } from "../../workers/api/app";
import { env } from "cloudflare:workers";
import { expectProblem, freshIp, json, requestFor } from "./helpers";
import { tenantRows } from "./table-rows";
import { allAuditEvents } from "./admin-helpers";
import { emailApi, emailTenant, mailTo, signUpVia, uniqueAddress } from "./email-helpers";
import type { TestTenant } from "./helpers";

/** The three public requests that mail an address, with the body each needs. */
const FLOWS = [
  { path: "/password-reset", body: (email: string) => ({ email }) },
  { path: "/magic-links", body: (email: string) => ({ email }) },
  { path: "/email-codes", body: (email: string) => ({ email }) },
] as const;

async function snapshot(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => !["date", "x-request-id"].includes(name)));
  return { status: response.status, headers, body: await response.text() };
}

async function oneTimeRows(tenant: TestTenant): Promise<number> {
  return (await tenantRows("one_time_tokens", tenant.id)).length;
}

describe("no account enumeration through the email flows", () => {
  for (const flow of FLOWS) {
    it(`${flow.path}: a known and an unknown address get identical answers; only the known one gets mail and a token row`, async () => {
      const api = emailApi();
      const tenant = await emailTenant(api);
      const known = uniqueAddress("known");
      const unknown = uniqueAddress("unknown");
      await signUpVia(api, tenant, known);
      const rowsBefore = await oneTimeRows(tenant);

      const ip = freshIp();
      const forUnknown = await snapshot(await api.call(`${tenant.base}${flow.path}`, { body: flow.body(unknown), ip }));
      expect(await oneTimeRows(tenant)).toBe(rowsBefore);
      const forKnown = await snapshot(await api.call(`${tenant.base}${flow.path}`, { body: flow.body(known), ip }));
      expect(forUnknown).toEqual(forKnown);
      expect(forKnown.status).toBe(202);

      expect(await mailTo(api, unknown)).toEqual([]);
      expect((await mailTo(api, known)).length).toBe(2); // verification at sign-up + this one
      expect(await oneTimeRows(tenant)).toBe(rowsBefore + 1);
      // Nothing about the unknown address in the audit log either.
      expect(JSON.stringify(await allAuditEvents(tenant))).not.toContain(unknown);
    });
  }

  it("the look-up, token and mail happen after the response (waitUntil), so they cannot shape its timing", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const known = uniqueAddress("known");
    await signUpVia(api, tenant, known);
    const rowsBefore = await oneTimeRows(tenant);
    const pending: Promise<unknown>[] = [];
    const ctx = { waitUntil: (promise: Promise<unknown>) => void pending.push(promise), passThroughOnException: () => {}, props: {} };
    const app = buildApp({ clock: new ManualClock(Date.now()) });
    const request = requestFor(`${tenant.base}/magic-links`, { body: { email: known }, ip: freshIp() });
    const response = await app.fetch(request, env, ctx as unknown as ExecutionContext);
    expect(response.status).toBe(202);
    // The deferred flow (on Postgres also the close of the request's connection, which waits for it).
    expect(pending.length).toBeGreaterThan(0);
    expect(await mailTo(api, known)).toHaveLength(1); // only the sign-up verification so far
    await Promise.all(pending);
    expect(await mailTo(api, known)).toHaveLength(2);
    expect(await oneTimeRows(tenant)).toBe(rowsBefore + 1);
  });

  it("banned accounts get the same answer and no mail", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress("banned");
    const signUp = await json<{ user: { id: string } }>(await signUpVia(api, tenant, email));
    const ban = await api.call(`${tenant.base}/admin/users/${signUp.user.id}/ban`, { body: {}, token: tenant.secretKey });
    expect(ban.status).toBe(200);
    const response = await api.call(`${tenant.base}/magic-links`, { body: { email }, ip: freshIp() });
    expect(response.status).toBe(202);
    expect(await mailTo(api, email)).toHaveLength(1);
  });
});

describe("email rate limits", () => {
  it("per address: emails_per_hour_per_address counts known and unknown addresses alike, across flows", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { rate_limits: { emails_per_hour_per_address: 2 } });
    const known = uniqueAddress("known");
    await signUpVia(api, tenant, known);
    for (const email of [known, uniqueAddress("unknown")]) {
      const send = (path: string) => api.call(`${tenant.base}${path}`, { body: { email }, ip: freshIp() });
      expect((await send("/password-reset")).status).toBe(202);
      expect((await send("/magic-links")).status).toBe(202);
      const limited = await send("/email-codes");
      await expectProblem(limited, 429, "rate_limited");
      expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    }
    expect(await mailTo(api, known)).toHaveLength(3);
  });

  it("per IP: password_reset_per_hour_per_ip bounds each flow from one client", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { rate_limits: { password_reset_per_hour_per_ip: 2 } });
    const ip = freshIp();
    for (const path of ["/password-reset", "/magic-links", "/email-codes"]) {
      const send = () => api.call(`${tenant.base}${path}`, { body: { email: uniqueAddress() }, ip });
      expect((await send()).status).toBe(202);
      expect((await send()).status).toBe(202);
      await expectProblem(await send(), 429, "rate_limited");
    }
    // Another client is not affected.
    expect((await api.call(`${tenant.base}/password-reset`, { body: { email: uniqueAddress() }, ip: freshIp() })).status).toBe(202);
  });

  it("code sign-in attempts are limited per IP like password sign-in", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api, { rate_limits: { sign_in_per_minute_per_ip: 2 } });
    const ip = freshIp();
    const attempt = () => api.call(`${tenant.base}/sessions/email-code`, { body: { email: uniqueAddress(), code: "000000" }, ip });
    await expectProblem(await attempt(), 401, "invalid_code");
    await expectProblem(await attempt(), 401, "invalid_code");
    await expectProblem(await attempt(), 429, "rate_limited");
  });
});

describe("storage of one-time email secrets", () => {
  it("keeps only digests: neither the mailed token nor the code appears in the database", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    await api.call(`${tenant.base}/email-codes`, { body: { email }, ip: freshIp() });
    const [codeMail, verificationMail] = await mailTo(api, email);
    const code = /code is:\n\n(\d{6})/.exec(codeMail?.text ?? "")?.[1] ?? "";
    const token = /token into [^:]+:\n\n(\S+)/.exec(verificationMail?.text ?? "")?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    expect(token.length).toBe(43);
    const dump = JSON.stringify(await tenantRows("one_time_tokens", tenant.id));
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(`"${code}"`);
  });
});
