import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, uniqueEmail } from "./admin-helpers";
import { codeIn, type EmailApi, emailApi, lastMailTo, signUpVia } from "./email-helpers";
import { createTenant, expectProblem, freshIp, json, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";
import { APP_ORIGIN, registerPasskey } from "./passkey-helpers";
import { MINUTE } from "./token-helpers";
import { type ConnectionBody, createOidcConnection, linkedIdentitiesOf, signInWithOidc, userByEmail } from "./upstream-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

/**
 * Linked identities (docs/social-sign-in.md): the signed-in user and admins list and unlink a user's
 * upstream accounts. Identities are linked by driving the real upstream sign-in against oidc-provider.
 */

interface IdentityBody {
  id: string;
  connection: { id: string; slug: string; display_name: string; kind: string };
  subject: string;
  email: string | null;
  created_at: string;
  last_sign_in_at: string | null;
}

interface LinkedUser {
  userId: string;
  email: string;
  tokens: TokenBody;
}

/** Signs in at the provider through `connection` as `email` (verified) and checks the callback succeeded. */
async function linkThroughProvider(tenant: TestTenant, connection: ConnectionBody, email: string, name = "Ada Upstream"): Promise<string> {
  const sub = `sub-${crypto.randomUUID()}`;
  const { response } = await signInWithOidc(tenant, connection.slug, { sub, email, email_verified: true, name });
  expect(response.status).toBe(303);
  return sub;
}

/** A user created by upstream sign-in (no password), with an API session opened by an email code. */
async function upstreamUser(api: EmailApi, tenant: TestTenant, connection: ConnectionBody): Promise<LinkedUser> {
  const email = uniqueEmail("social");
  await linkThroughProvider(tenant, connection, email);
  const user = await userByEmail(tenant, email);
  expect(user?.passwordHash).toBeNull();
  expect((await api.call(`${tenant.base}/email-codes`, { body: { email }, ip: freshIp() })).status).toBe(202);
  const code = codeIn(await lastMailTo(api, email));
  const response = await api.call(`${tenant.base}/sessions/email-code`, { body: { email, code }, ip: freshIp() });
  expect(response.status).toBe(200);
  return { userId: user!.id, email, tokens: await json<TokenBody>(response) };
}

/** A password user whose verified address the provider then links (account linking by verified email). */
async function passwordUser(api: EmailApi, tenant: TestTenant, connection: ConnectionBody): Promise<LinkedUser> {
  const email = uniqueEmail("pwd");
  const response = await signUpVia(api, tenant, email);
  expect(response.status).toBe(201);
  const tokens = await json<TokenBody>(response);
  const user = await userByEmail(tenant, email);
  expect((await admin(tenant, `/users/${user!.id}`, { method: "PATCH", body: { email_verified: true } })).status).toBe(200);
  await linkThroughProvider(tenant, connection, email);
  return { userId: user!.id, email, tokens };
}

async function myIdentities(api: EmailApi, tenant: TestTenant, token: string): Promise<IdentityBody[]> {
  const response = await api.call(`${tenant.base}/me/identities`, { token });
  expect(response.status).toBe(200);
  return (await json<{ data: IdentityBody[] }>(response)).data;
}

const unlink = (api: EmailApi, tenant: TestTenant, token: string, id: string) => api.call(`${tenant.base}/me/identities/${id}`, { method: "DELETE", token });

async function setup() {
  const api = emailApi();
  const tenant = await createTenant({ allowed_origins: [APP_ORIGIN] });
  const connection = await createOidcConnection(tenant);
  return { api, tenant, connection };
}

describe("my linked identities", () => {
  it("lists each linked account with its connection, and nothing of the stored profile", async () => {
    const { api, tenant, connection } = await setup();
    const user = await upstreamUser(api, tenant, connection);
    const response = await api.call(`${tenant.base}/me/identities`, { token: user.tokens.access_token });
    expect(response.status).toBe(200);
    const text = await response.text();
    const [identity, ...rest] = (JSON.parse(text) as { data: IdentityBody[] }).data;
    expect(rest).toEqual([]);
    const [stored] = await linkedIdentitiesOf(tenant, user.userId);
    expect(identity).toEqual({
      id: stored!.id,
      connection: { id: connection.id, slug: connection.slug, display_name: "Test OIDC", kind: "oidc" },
      subject: stored!.subject,
      email: user.email,
      created_at: new Date(stored!.createdAt).toISOString(),
      last_sign_in_at: new Date(stored!.lastSignInAt!).toISOString(),
    });
    expect(text).not.toContain("Ada Upstream");
    expect(text).not.toContain("profile");

    const plain = await signUpVia(api, tenant, uniqueEmail("plain"));
    expect(await myIdentities(api, tenant, (await json<TokenBody>(plain)).access_token)).toEqual([]);
    await expectProblem(await api.call(`${tenant.base}/me/identities`), 401, "unauthorized");
  });

  it("refuses to unlink the last way to sign in; another linked account or a passkey makes it possible", async () => {
    const { api, tenant, connection } = await setup();
    const user = await upstreamUser(api, tenant, connection);
    const [first] = await myIdentities(api, tenant, user.tokens.access_token);
    await expectProblem(await unlink(api, tenant, user.tokens.access_token, first!.id), 409, "last_sign_in_method");
    expect(await linkedIdentitiesOf(tenant, user.userId)).toHaveLength(1);

    const second = await createOidcConnection(tenant);
    await linkThroughProvider(tenant, second, user.email);
    expect((await unlink(api, tenant, user.tokens.access_token, first!.id)).status).toBe(204);
    const left = await myIdentities(api, tenant, user.tokens.access_token);
    expect(left.map((identity) => identity.connection.id)).toEqual([second.id]);
    await expectProblem(await unlink(api, tenant, user.tokens.access_token, left[0]!.id), 409, "last_sign_in_method");

    await registerPasskey(tenant, user.tokens, new SoftAuthenticator({ origin: APP_ORIGIN }), {}, api.call);
    expect((await unlink(api, tenant, user.tokens.access_token, left[0]!.id)).status).toBe(204);
    expect(await myIdentities(api, tenant, user.tokens.access_token)).toEqual([]);

    const events = await allAuditEvents(tenant, { type: "upstream.unlinked" });
    expect(events).toHaveLength(2);
    expect(events.map((event) => event.data.connection).sort()).toEqual([connection.slug, second.slug].sort());
    for (const event of events) {
      expect(event).toMatchObject({ subject_id: user.userId, actor: { type: "user", id: user.userId } });
      expect(Object.keys(event.data).sort()).toEqual(["connection", "connection_id", "linked_identity_id"]);
    }
  });

  it("an identity at a disabled connection is no way to sign in", async () => {
    const { api, tenant, connection } = await setup();
    const user = await upstreamUser(api, tenant, connection);
    const second = await createOidcConnection(tenant);
    await linkThroughProvider(tenant, second, user.email);
    expect((await admin(tenant, `/connections/${second.id}`, { method: "PATCH", body: { enabled: false } })).status).toBe(200);
    const first = (await myIdentities(api, tenant, user.tokens.access_token)).find((identity) => identity.connection.id === connection.id);
    await expectProblem(await unlink(api, tenant, user.tokens.access_token, first!.id), 409, "last_sign_in_method");
  });

  it("a password user unlinks after a recent authentication only (step-up)", async () => {
    const { api, tenant, connection } = await setup();
    const user = await passwordUser(api, tenant, connection);
    const [identity] = await myIdentities(api, tenant, user.tokens.access_token);
    api.clock.advance(11 * MINUTE); // past the default step_up_max_age_seconds (600)
    const refused = await unlink(api, tenant, user.tokens.access_token, identity!.id);
    await expectProblem(refused, 403, "step_up_required");
    expect(await linkedIdentitiesOf(tenant, user.userId)).toHaveLength(1);
    const stepped = await api.call(`${tenant.base}/me/step-up`, { token: user.tokens.access_token, body: { password: STRONG_PASSWORD } });
    expect(stepped.status).toBe(200);
    expect((await unlink(api, tenant, user.tokens.access_token, identity!.id)).status).toBe(204);
    expect(await linkedIdentitiesOf(tenant, user.userId)).toEqual([]);
  });

  it("another user's identity and unknown ids are not found", async () => {
    const { api, tenant, connection } = await setup();
    const owner = await passwordUser(api, tenant, connection);
    const other = await passwordUser(api, tenant, connection);
    const [identity] = await myIdentities(api, tenant, owner.tokens.access_token);
    await expectProblem(await unlink(api, tenant, other.tokens.access_token, identity!.id), 404, "not_found");
    await expectProblem(await unlink(api, tenant, other.tokens.access_token, "lid_unknown"), 404, "not_found");
    expect(await linkedIdentitiesOf(tenant, owner.userId)).toHaveLength(1);
    const foreign = await createTenant();
    const stranger = await signUpVia(api, foreign, uniqueEmail("stranger"));
    await expectProblem(await unlink(api, foreign, (await json<TokenBody>(stranger)).access_token, identity!.id), 404, "not_found");
    expect(await linkedIdentitiesOf(tenant, owner.userId)).toHaveLength(1);
  });
});

describe("admin: a user's linked identities", () => {
  it("lists and unlinks, with the same last-method rule, audited with the key as actor", async () => {
    const { api, tenant, connection } = await setup();
    const social = await upstreamUser(api, tenant, connection);
    const listed = await admin(tenant, `/users/${social.userId}/identities`);
    expect(listed.status).toBe(200);
    const [identity] = (await json<{ data: IdentityBody[] }>(listed)).data;
    expect(identity).toMatchObject({ connection: { id: connection.id, slug: connection.slug, kind: "oidc" }, email: social.email });
    await expectProblem(await admin(tenant, `/users/${social.userId}/identities/${identity!.id}`, { method: "DELETE" }), 409, "last_sign_in_method");

    const withPassword = await passwordUser(api, tenant, connection);
    const [own] = await linkedIdentitiesOf(tenant, withPassword.userId);
    // An identity is found only under its own user.
    await expectProblem(await admin(tenant, `/users/${social.userId}/identities/${own!.id}`, { method: "DELETE" }), 404, "not_found");
    expect((await admin(tenant, `/users/${withPassword.userId}/identities/${own!.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await linkedIdentitiesOf(tenant, withPassword.userId)).toEqual([]);
    const [event] = await allAuditEvents(tenant, { type: "upstream.unlinked" });
    expect(event).toMatchObject({ subject_id: withPassword.userId, actor: { type: "api_key" }, data: { connection_id: connection.id, linked_identity_id: own!.id } });
  });

  it("unknown users, and users of another tenant, are not found", async () => {
    const { api, tenant, connection } = await setup();
    const social = await upstreamUser(api, tenant, connection);
    await expectProblem(await admin(tenant, "/users/usr_unknown/identities"), 404, "not_found");
    await expectProblem(await admin(tenant, "/users/usr_unknown/identities/lid_unknown", { method: "DELETE" }), 404, "not_found");
    const [identity] = await linkedIdentitiesOf(tenant, social.userId);
    const other = await createTenant();
    await expectProblem(await admin(other, `/users/${social.userId}/identities`), 404, "not_found");
    await expectProblem(await admin(other, `/users/${social.userId}/identities/${identity!.id}`, { method: "DELETE" }), 404, "not_found");
    expect(await linkedIdentitiesOf(tenant, social.userId)).toHaveLength(1);
  });
});
