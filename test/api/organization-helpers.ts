import { expect } from "vitest";
import { type EmailApi, emailApi, lastMailTo } from "./email-helpers";
import { type CallOptions, createTenant, freshIp, json, STRONG_PASSWORD, type TestTenant, type TokenBody, uniqueSlug } from "./helpers";

export interface OrgUser {
  id: string;
  email: string;
  token: string;
  refreshToken: string;
}

export interface OrgWorld {
  api: EmailApi;
  tenant: TestTenant;
  /** A request as a user (bearer access token) to the tenant's API. */
  as: (token: string, path: string, options?: CallOptions) => Promise<Response>;
  /** A request with the tenant's secret key to the management API. */
  admin: (path: string, options?: CallOptions) => Promise<Response>;
  user: (verified?: boolean) => Promise<OrgUser>;
  createOrg: (owner: OrgUser, name?: string) => Promise<{ id: string; slug: string }>;
}

/** A tenant on an app with a hand-moved clock and mail read from the dev mailbox. */
export async function orgWorld(): Promise<OrgWorld> {
  const api = emailApi();
  const tenant = await createTenant();
  const as = (token: string, path: string, options: CallOptions = {}) => api.call(`${tenant.base}${path}`, { ...options, token });
  const admin = (path: string, options: CallOptions = {}) => api.call(`${tenant.base}/admin${path}`, { ...options, token: tenant.secretKey });
  const user = async (verified = true): Promise<OrgUser> => {
    const email = `org-${uniqueSlug("u")}@example.com`;
    const response = await api.call(`${tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
    expect(response.status).toBe(201);
    const tokens = await json<TokenBody>(response);
    const id = tokens.user?.id ?? "";
    if (verified) expect((await admin(`/users/${id}`, { method: "PATCH", body: { email_verified: true } })).status).toBe(200);
    return { id, email, token: tokens.access_token, refreshToken: tokens.refresh_token };
  };
  const createOrg = async (owner: OrgUser, name = `Org ${uniqueSlug("o")}`) => {
    const response = await as(owner.token, "/organizations", { body: { name } });
    expect(response.status).toBe(201);
    return json<{ id: string; slug: string }>(response);
  };
  return { api, tenant, as, admin, user, createOrg };
}

/** Adds `user` to the organization with `role` through the management API. */
export async function addMember(world: OrgWorld, organizationId: string, user: OrgUser, role: string): Promise<void> {
  const response = await world.admin(`/organizations/${organizationId}/members`, { body: { user_id: user.id, role } });
  expect(response.status).toBe(201);
}

/** The token of the newest invitation mail to `email`. */
export async function invitationToken(world: OrgWorld, email: string): Promise<string> {
  const mail = await lastMailTo(world.api, email);
  const token = /paste this token[^\n]*\n\n(\S+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation token in mail to ${email}`);
  return token;
}

/** Audit event types of the tenant, newest first. */
export async function auditTypes(world: OrgWorld): Promise<string[]> {
  const response = await world.admin("/audit-events?limit=100");
  expect(response.status).toBe(200);
  return (await json<{ data: { type: string }[] }>(response)).data.map((event) => event.type);
}
