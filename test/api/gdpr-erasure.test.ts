import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { verifyChain } from "./audit-chain-helpers";
import { findInTables, sessionObjectContents, tableRows } from "./gdpr-erasure-helpers";
import { givenLinkedAccounts, givenPerson, type Person } from "./gdpr-helpers";
import { type CallOptions, expectProblem, json } from "./helpers";
import { nextCode } from "./mfa-helpers";
import { passkeyTenant } from "./passkey-helpers";
import { expectInvalidToken, MINUTE } from "./token-helpers";
import { webhookWorld } from "./webhook-helpers";

const needlesOf = (person: Person) => [person.email, person.name, person.id, person.ip, person.userAgent];

/** Before erasure: every needle is somewhere (so the scan can see them) and the session object holds sessions; returns how many events are about the person. */
async function expectFindable(person: Person): Promise<number> {
  expect(Object.keys(await findInTables(needlesOf(person))).sort()).toEqual(needlesOf(person).sort());
  const sessions = await sessionObjectContents(person.tenant.id, person.id);
  expect(sessions.tables.length).toBeGreaterThan(0);
  expect(sessions.rows).toBeGreaterThan(0);
  const events = await allAuditEvents(person.tenant);
  const about = events.filter(
    (event) => event.actor.id === person.id || event.subject_id === person.id || JSON.stringify(event.data).toLowerCase().includes(person.email),
  );
  expect(about.length).toBeGreaterThanOrEqual(5);
  return about.length;
}

/** After erasure: nothing names the person, their session object is empty, their tokens are dead, the chain verifies. */
async function expectErased(person: Person, eventsAbout: number): Promise<string> {
  expect(await findInTables(needlesOf(person))).toEqual({});
  expect(await sessionObjectContents(person.tenant.id, person.id)).toEqual({ tables: [], rows: 0, alarm: null, kv: 0 });
  const stub = env.SESSION_STORE.getByName(`${person.tenant.id}:${person.id}`);
  expect(await stub.list(person.w.clock.now())).toEqual([]);

  const { w, tenant } = person;
  for (const tokens of [person.first, person.second]) {
    await expectInvalidToken(await w.send(`${tenant.base}/me`, { token: tokens.access_token }));
    expect((await w.send(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tokens.refresh_token } })).status).toBe(401);
  }
  const reset = await w.send(`${tenant.base}/password-reset/confirm`, { body: { token: person.resetToken, new_password: "a new passphrase for nobody 1" } });
  expect(reset.status).toBeGreaterThanOrEqual(400);

  const verification = await verifyChain(tenant);
  expect(verification).toMatchObject({ intact: true, first_broken: null });
  expect(verification.pseudonymised).toBe(eventsAbout);

  const deleted = await allAuditEvents(tenant, { type: "user.deleted" });
  expect(deleted).toHaveLength(1);
  const pseudonym = deleted[0]?.subject_id ?? "";
  expect(pseudonym).toMatch(/^anon_/);
  // The person's earlier events now carry the same pseudonym.
  const earlier = await allAuditEvents(tenant, { subject_id: pseudonym });
  expect(earlier.map((event) => event.type)).toEqual(expect.arrayContaining(["user.deleted", "user.created", "passkey.registered", "mfa.totp_enrolled"]));
  for (const event of earlier) expect(event).toMatchObject({ ip: null, user_agent: null });
  return pseudonym;
}

describe("GDPR erasure", { timeout: 30_000 }, () => {
  it("admin DELETE /admin/users/{id} leaves nothing naming the user in any table or object, and the chain still verifies", async () => {
    const person = await givenPerson();
    const bystander = await givenPerson({ tenant: person.tenant, w: person.w });
    const accounts = await givenLinkedAccounts(person);
    const bystanders = await givenLinkedAccounts(bystander);
    const eventsAbout = await expectFindable(person);

    const erased = await person.w.send(`${person.tenant.base}/admin/users/${person.id}`, { method: "DELETE", token: person.tenant.secretKey });
    expect(erased.status).toBe(204);
    const pseudonym = await expectErased(person, eventsAbout);
    // OAuth grants, consents and linked identities went with the user; the client and connection stay (tenant data).
    expect(await tableRows("oauth_grants", `where session_id = '${accounts.grantSessionId}'`)).toEqual([]);
    expect(await tableRows("oauth_consents", `where client_id = '${accounts.clientId}'`)).toEqual([]);
    expect(await tableRows("linked_identities", `where id = '${accounts.identityId}'`)).toEqual([]);
    expect(await tableRows("oauth_clients", `where id = '${accounts.clientId}'`)).toHaveLength(1);
    expect(await tableRows("upstream_connections", `where id = '${accounts.connectionId}'`)).toHaveLength(1);
    expect(await tableRows("linked_identities", `where id = '${bystanders.identityId}'`)).toHaveLength(1);
    expect(await tableRows("oauth_grants", `where session_id = '${bystanders.grantSessionId}'`)).toHaveLength(1);
    const [deleted] = await allAuditEvents(person.tenant, { type: "user.deleted" });
    expect(deleted).toMatchObject({ actor: { type: "api_key" }, subject_id: pseudonym, data: { self: false } });

    // Someone else in the tenant is untouched.
    expect(Object.keys(await findInTables(needlesOf(bystander))).sort()).toEqual(needlesOf(bystander).sort());
    expect((await person.w.send(`${person.tenant.base}/me`, { token: bystander.first.access_token })).status).toBe(200);
    // Erasing again finds no one.
    await expectProblem(await person.w.send(`${person.tenant.base}/admin/users/${person.id}`, { method: "DELETE", token: person.tenant.secretKey }), 404, "not_found");
  });

  it("DELETE /me needs a step-up, then erases the user and records user.deleted under the pseudonym with no IP or user agent", async () => {
    const person = await givenPerson();
    const { w, tenant } = person;
    await givenLinkedAccounts(person);
    const as = { ip: person.ip, headers: { "User-Agent": person.userAgent } };
    w.clock.advance(11 * MINUTE);
    await expectProblem(await w.send(`${tenant.base}/me`, { ...as, method: "DELETE", token: person.first.access_token }), 403, "step_up_required");
    const stepped = await w.send(`${tenant.base}/me/step-up`, { ...as, token: person.first.access_token, body: { code: nextCode(w, person.totpSecret) } });
    expect(stepped.status).toBe(200);
    // The failed attempt and the step-up are about the person too.
    const eventsAbout = await expectFindable(person);
    expect((await w.send(`${tenant.base}/me`, { ...as, method: "DELETE", token: person.first.access_token })).status).toBe(204);

    const pseudonym = await expectErased(person, eventsAbout);
    const [deleted] = await allAuditEvents(tenant, { type: "user.deleted" });
    expect(deleted).toMatchObject({ actor: { type: "user", id: pseudonym }, subject_id: pseudonym, ip: null, user_agent: null, data: { self: true } });
    // The person cannot sign in again.
    const signIn = await w.send(`${tenant.base}/sessions`, { body: { email: person.email, password: "correct horse battery staple 42" } });
    await expectProblem(signIn, 401, "invalid_credentials");
  });
});

describe("GDPR erasure of organization data and webhook deliveries", { timeout: 30_000 }, () => {
  const hookTypes = ["user.created", "user.updated", "session.created", "organization.created", "membership.created", "user.deleted"];

  async function givenWebhookPerson() {
    const hooks = webhookWorld();
    const tenant = await passkeyTenant();
    const w = { tenant, clock: hooks.clock, send: hooks.call };
    const admin = (path: string, options: CallOptions = {}) => hooks.call(`${tenant.base}/admin${path}`, { ...options, token: tenant.secretKey });
    const endpoint = await admin("/webhooks/endpoints", { body: { url: "https://hooks.example.com/in", event_types: hookTypes } });
    expect(endpoint.status).toBe(201);
    const person = await givenPerson({ tenant, w });
    const bystander = await givenPerson({ tenant, w });
    for (const who of [person, bystander]) expect((await admin(`/users/${who.id}`, { method: "PATCH", body: { email_verified: true } })).status).toBe(200);
    return { hooks, admin, person, bystander };
  }

  it("refuses to erase an organization's last owner (admin and DELETE /me), then erases invitations, memberships and deliveries naming the user", async () => {
    const { hooks, admin, person, bystander } = await givenWebhookPerson();
    const { tenant } = person;
    const as = (token: string, path: string, options: CallOptions = {}) => hooks.call(`${tenant.base}${path}`, { ...options, token });
    const owned = await json<{ id: string }>(await as(person.first.access_token, "/organizations", { body: { name: "Person's Org" } }));
    const theirs = await json<{ id: string }>(await as(bystander.first.access_token, "/organizations", { body: { name: "Bystander's Org" } }));
    const invited = await as(person.first.access_token, `/organizations/${owned.id}/invitations`, { body: { email: "guest-erasure@example.com", role: "member" } });
    expect(invited.status).toBe(201);
    expect((await as(bystander.first.access_token, `/organizations/${theirs.id}/invitations`, { body: { email: person.email, role: "member" } })).status).toBe(201);
    hooks.receiver.answers.push(...Array.from({ length: 40 }, () => 400));
    await hooks.drain();
    expect(hooks.receiver.received.length).toBeGreaterThan(0);
    expect(Object.keys(await findInTables([person.id, person.email, person.ip, person.userAgent])).length).toBe(4);

    await expectProblem(await admin(`/users/${person.id}`, { method: "DELETE" }), 409, "last_owner");
    expect((await admin(`/organizations/${owned.id}/members`, { body: { user_id: bystander.id, role: "owner" } })).status).toBe(201);
    expect((await admin(`/users/${person.id}`, { method: "DELETE" })).status).toBe(204);

    // Before the user.deleted event is fanned out: nothing names the person anywhere.
    expect(await findInTables(needlesOf(person))).toEqual({});
    const [sent] = await tableRows("organization_invitations", `where organization_id = '${owned.id}'`);
    expect(sent?.invited_by).toMatch(/^anon_/);
    expect(await tableRows("organization_members", `where organization_id = '${owned.id}'`)).toHaveLength(1);
    expect((await tableRows("webhook_deliveries", `where tenant_id = '${tenant.id}'`)).length).toBeGreaterThan(0);

    // A replay of every failed delivery resends nothing about the person.
    const before = hooks.receiver.received.length;
    const replay = await admin("/webhooks/deliveries/replay", { body: { since: new Date(0).toISOString() } });
    expect(replay.status).toBe(202);
    await hooks.drain();
    const resent = hooks.receiver.received.slice(before).map((request) => request.body);
    expect(resent.filter((body) => body.includes('"user.deleted"'))).toHaveLength(1);
    for (const body of resent.filter((text) => !text.includes('"user.deleted"'))) {
      for (const needle of needlesOf(person)) expect(body).not.toContain(needle);
    }
    // Only the user.deleted delivery names the person, by id alone (docs/webhooks.md).
    const left = await findInTables(needlesOf(person));
    expect(left).toEqual({ [person.id]: expect.arrayContaining([expect.stringMatching(/webhook_deliveries$/)]) });
    expect((await verifyChain(tenant)).intact).toBe(true);
  });

  it("DELETE /me is refused with last_owner while the user is an organization's only owner", async () => {
    const { hooks, person } = await givenWebhookPerson();
    const { tenant } = person;
    const ua = { ip: person.ip, headers: { "User-Agent": person.userAgent } };
    expect((await hooks.call(`${tenant.base}/organizations`, { token: person.first.access_token, body: { name: "Solo" } })).status).toBe(201);
    await expectProblem(await hooks.call(`${tenant.base}/me`, { ...ua, method: "DELETE", token: person.first.access_token }), 409, "last_owner");
    expect((await hooks.call(`${tenant.base}/me`, { token: person.first.access_token })).status).toBe(200);
  });
});
