import type { UserExportBody } from "@plinto/contracts";
import { describe, expect, it } from "vitest";
import { createTenant, expectProblem, json, type TestTenant } from "./helpers";
import { givenLinkedAccounts, givenPerson, secretsOf, type Person } from "./gdpr-helpers";

const exportOf = async (person: Person, via: "me" | "admin", tenant: TestTenant = person.tenant): Promise<Response> =>
  via === "me"
    ? person.w.send(`${tenant.base}/me/export`, { token: person.first.access_token })
    : person.w.send(`${tenant.base}/admin/users/${person.id}/export`, { token: tenant.secretKey });

async function exportBody(person: Person, via: "me" | "admin"): Promise<{ body: UserExportBody; text: string }> {
  const response = await exportOf(person, via);
  expect(response.status).toBe(200);
  const text = await response.text();
  return { body: JSON.parse(text) as UserExportBody, text };
}

describe("GDPR export: GET /me/export and GET /admin/users/{id}/export", { timeout: 30_000 }, () => {
  it.each(["me", "admin"] as const)("via %s: profile, sessions, MFA summary, passkeys and audit events, and not one secret", async (via) => {
    const person = await givenPerson();
    // Someone else in the same tenant, whose data must stay out.
    const other = await givenPerson({ tenant: person.tenant, w: person.w });
    // One recovery code used: the count follows.
    const used = person.recoveryCodes[0] ?? "";
    expect((await person.w.send(`${person.tenant.base}/me/step-up`, { token: person.first.access_token, body: { recovery_code: used } })).status).toBe(200);

    const { body, text } = await exportBody(person, via);
    expect(body.format).toBe("plinto.user-export.v1");
    expect(Date.parse(body.exported_at)).toBe(person.w.clock.now());
    expect(body.profile).toMatchObject({ id: person.id, email: person.email, name: person.name });
    expect(body.identities).toEqual([
      { type: "email", email: person.email, verified: false },
      { type: "password", password_set: true },
    ]);
    expect(body.sessions.map((session) => session.id).sort()).toEqual([person.first.session_id, person.second.session_id].sort());
    for (const session of body.sessions) expect(session).toMatchObject({ ip: person.ip, user_agent: person.userAgent });
    expect(body.mfa.totp).toMatchObject({ status: "active" });
    expect(body.mfa.totp?.activated_at).not.toBeNull();
    expect(body.mfa.recovery_codes_remaining).toBe(person.recoveryCodes.length - 1);
    expect(body.passkeys).toEqual([expect.objectContaining({ id: person.passkeyId, device_type: expect.any(String), backed_up: expect.any(Boolean) })]);
    expect(Object.keys(body.passkeys[0] ?? {}).sort()).toEqual(["aaguid", "backed_up", "created_at", "device_type", "id", "last_used_at", "name", "transports"]);

    const types = body.audit_events.map((event) => event.type);
    expect(types).toEqual(
      expect.arrayContaining(["user.created", "session.created", "passkey.registered", "mfa.totp_enrolled", "password_reset.requested", "mfa.recovery_code_used"]),
    );
    const times = body.audit_events.map((event) => Date.parse(event.created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const event of body.audit_events) {
      const aboutThem = event.actor.id === person.id || event.subject_id === person.id || JSON.stringify(event.data).includes(person.email.toLowerCase());
      expect(aboutThem, `${event.type} ${event.id} is not about the user`).toBe(true);
    }

    for (const secret of await secretsOf(person)) expect(text.includes(secret), `the export holds a secret: ${secret.slice(0, 12)}…`).toBe(false);
    expect(text).not.toMatch(/\$argon2|\$2[aby]\$|scrypt|pbkdf2/i);
    expect(text).not.toContain(used);

    for (const value of [other.id, other.email, other.name, other.ip, other.userAgent, other.first.session_id, other.passkeyId]) {
      expect(text.includes(value), `the export holds another user's ${value}`).toBe(false);
    }
  });

  it.each(["me", "admin"] as const)("via %s: organization memberships (id, name, role, joined at) and pending invitations to the user's email", async (via) => {
    const person = await givenPerson();
    const other = await givenPerson({ tenant: person.tenant, w: person.w });
    const { w, tenant } = person;
    for (const who of [person, other]) {
      expect((await w.send(`${tenant.base}/admin/users/${who.id}`, { method: "PATCH", token: tenant.secretKey, body: { email_verified: true } })).status).toBe(200);
    }
    const created = await w.send(`${tenant.base}/organizations`, { token: person.first.access_token, body: { name: "Person's Org" } });
    expect(created.status).toBe(201);
    const owned = await json<{ id: string }>(created);
    const theirs = await json<{ id: string }>(await w.send(`${tenant.base}/organizations`, { token: other.first.access_token, body: { name: "Other's Org" } }));
    const invited = await w.send(`${tenant.base}/organizations/${theirs.id}/invitations`, { token: other.first.access_token, body: { email: person.email, role: "member" } });
    expect(invited.status).toBe(201);
    const invitation = await json<{ id: string }>(invited);

    const { body, text } = await exportBody(person, via);
    expect(body.organizations).toEqual([{ id: owned.id, name: "Person's Org", role: "owner", joined_at: expect.any(String) }]);
    expect(Date.parse(body.organizations[0]?.joined_at ?? "")).toBe(w.clock.now());
    expect(body.invitations).toEqual([
      { id: invitation.id, organization_id: theirs.id, organization_name: "Other's Org", role: "member", created_at: expect.any(String), expires_at: expect.any(String) },
    ]);
    for (const secret of await secretsOf(person)) expect(text.includes(secret), `the export holds a secret: ${secret.slice(0, 12)}…`).toBe(false);
    expect(text).not.toContain(other.email);
  });

  it.each(["me", "admin"] as const)("via %s: OAuth consents (client, scopes, dates) and linked upstream identities, never a client or upstream secret", async (via) => {
    const person = await givenPerson();
    const other = await givenPerson({ tenant: person.tenant, w: person.w });
    const accounts = await givenLinkedAccounts(person);
    const theirs = await givenLinkedAccounts(other);
    const at = new Date(person.w.clock.now()).toISOString();

    const { body, text } = await exportBody(person, via);
    expect(body.consents).toEqual([{ client_id: accounts.clientId, client_name: accounts.clientName, scopes: ["openid", "profile"], created_at: at, updated_at: at }]);
    expect(body.linked_identities).toEqual([
      {
        id: accounts.identityId,
        connection_id: accounts.connectionId,
        connection_name: accounts.connectionName,
        provider: "google",
        subject: accounts.subject,
        email: person.email,
        profile: { name: person.name },
        created_at: at,
        last_sign_in_at: at,
      },
    ]);
    for (const secret of await secretsOf(person)) expect(text.includes(secret), `the export holds a secret: ${secret.slice(0, 12)}…`).toBe(false);
    for (const value of [theirs.clientId, theirs.subject, theirs.identityId, other.email]) expect(text).not.toContain(value);
  });

  it("leaves another actor's id, IP and user agent out of the events about the user", async () => {
    const person = await givenPerson();
    const renamed = await person.w.send(`${person.tenant.base}/admin/users/${person.id}`, {
      method: "PATCH",
      token: person.tenant.secretKey,
      body: { name: "Renamed By Admin" },
      ip: "198.51.100.250",
      headers: { "User-Agent": "admin-console/9" },
    });
    expect(renamed.status).toBe(200);
    const { body, text } = await exportBody(person, "me");
    const update = body.audit_events.find((event) => event.type === "user.updated");
    expect(update).toMatchObject({ subject_id: person.id, actor: { type: "api_key", id: null }, ip: null, user_agent: null });
    expect(text).not.toContain("198.51.100.250");
    expect(text).not.toContain("admin-console/9");
  });

  it("another tenant's secret key cannot export the user (404), nor can a user token or no token use the admin export", async () => {
    const person = await givenPerson();
    const other = await createTenant();
    const foreign = await person.w.send(`${person.tenant.base}/admin/users/${person.id}/export`, { token: other.secretKey });
    await expectProblem(foreign, 401, "invalid_api_key");
    await expectProblem(await exportOf(person, "admin", other), 404, "not_found");
    await expectProblem(await person.w.send(`${person.tenant.base}/admin/users/${person.id}/export`, { token: person.first.access_token }), 403, "forbidden");
    await expectProblem(await person.w.send(`${person.tenant.base}/admin/users/${person.id}/export`), 401, "unauthorized");
    await expectProblem(await person.w.send(`${person.tenant.base}/me/export`), 401, "unauthorized");
    // The user's own token at another tenant's /me/export is refused too.
    const crossTenant = await person.w.send(`${other.base}/me/export`, { token: person.first.access_token });
    expect(crossTenant.status).toBe(401);
    expect(JSON.stringify(await json(crossTenant))).not.toContain(person.email);
  });
});
