import { describe, expect, it } from "vitest";
import {
  admin,
  allAuditEvents,
  type AuditEventBody,
  BROWSER_UA,
  createSignedInUser,
  createUser,
  type PageBody,
  type ProblemBody,
  uniqueEmail,
} from "./admin-helpers";
import { call, type CallOptions, createTenant, expectProblem, json, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";

const NEW_PASSWORD = "a different long passphrase 77";

/** Every request of the story comes from one IP and browser, so each event can be checked for both. */
const IP = "203.0.113.77";
const ADMIN_IP = "198.51.100.9";
const ADMIN_UA = "plinto-admin-cli/1.0";

const asBrowser = (options: CallOptions = {}): CallOptions => ({ ...options, ip: IP, headers: { "User-Agent": BROWSER_UA, ...options.headers } });
const asAdmin = (tenant: TestTenant, options: CallOptions = {}): CallOptions => ({
  token: tenant.secretKey,
  ...options,
  ip: ADMIN_IP,
  headers: { "User-Agent": ADMIN_UA, ...options.headers },
});

interface Story {
  tenant: TestTenant;
  userId: string;
  email: string;
  secrets: string[];
  keyId: string;
  newKid: string;
  adminUserId: string;
}

/** Drives one tenant through every audited action and returns what the events should mention, and the secrets they must not. */
async function runStory(): Promise<Story> {
  const tenant = await createTenant();
  const secrets: string[] = [tenant.secretKey, STRONG_PASSWORD, NEW_PASSWORD];
  const email = uniqueEmail("story");

  // Sign-up.
  const signedUp = await call(`${tenant.base}/identities`, asBrowser({ body: { email, password: STRONG_PASSWORD } }));
  expect(signedUp.status).toBe(201);
  const first = await json<TokenBody>(signedUp);
  const userId = first.user?.id ?? "";
  secrets.push(first.access_token, first.refresh_token);

  // Sign-in failed, then ok.
  await expectProblem(await call(`${tenant.base}/sessions`, asBrowser({ body: { email, password: "not my password at all" } })), 401, "invalid_credentials");
  const signedIn = await call(`${tenant.base}/sessions`, asBrowser({ body: { email, password: STRONG_PASSWORD } }));
  expect(signedIn.status).toBe(200);
  const second = await json<TokenBody>(signedIn);
  secrets.push(second.access_token, second.refresh_token);

  // Refresh, then reuse of the rotated token (revokes that session).
  const rotated = await call(`${tenant.base}/sessions/refresh`, asBrowser({ body: { refresh_token: second.refresh_token } }));
  expect(rotated.status).toBe(200);
  const third = await json<TokenBody>(rotated);
  secrets.push(third.access_token, third.refresh_token);
  await expectProblem(await call(`${tenant.base}/sessions/refresh`, asBrowser({ body: { refresh_token: second.refresh_token } })), 401, "refresh_token_reused");

  // Another session, revoked by the user from the first one.
  const another = await json<TokenBody>(await call(`${tenant.base}/sessions`, asBrowser({ body: { email, password: STRONG_PASSWORD } })));
  secrets.push(another.access_token, another.refresh_token);
  const revoke = await call(`${tenant.base}/sessions/${another.session_id}`, asBrowser({ method: "DELETE", token: first.access_token }));
  expect(revoke.status).toBe(204);

  // Password change.
  const changed = await call(
    `${tenant.base}/me/password`,
    asBrowser({ token: first.access_token, body: { current_password: STRONG_PASSWORD, new_password: NEW_PASSWORD } }),
  );
  expect(changed.status).toBe(200);

  // Admin actions with the secret key: key rotation, a new secret key, settings, user update and ban.
  const rotatedKey = await call(`${tenant.base}/admin/signing-keys/rotate`, asAdmin(tenant, { body: {} }));
  expect(rotatedKey.status).toBe(201);
  const newKid = (await json<{ kid: string }>(rotatedKey)).kid;
  const createdKey = await call(`${tenant.base}/admin/api-keys`, asAdmin(tenant, { body: { name: "audit test" } }));
  expect(createdKey.status).toBe(201);
  const apiKey = await json<{ id: string; secret: string }>(createdKey);
  secrets.push(apiKey.secret);
  expect((await call(`${tenant.base}/admin/settings`, asAdmin(tenant, { method: "PATCH", body: { password_policy: { min_length: 13 } } }))).status).toBe(200);
  expect((await call(`${tenant.base}/admin/users/${userId}`, asAdmin(tenant, { method: "PATCH", body: { name: "Audited" } }))).status).toBe(200);
  expect((await call(`${tenant.base}/admin/users/${userId}/ban`, asAdmin(tenant, { body: { reason: "audit story" } }))).status).toBe(200);

  // An admin user acts too.
  const adminUser = await createSignedInUser(tenant, "admin");
  secrets.push(adminUser.tokens.access_token, adminUser.tokens.refresh_token);
  expect((await call(`${tenant.base}/admin/users/${userId}/unban`, { method: "POST", token: adminUser.tokens.access_token, ip: ADMIN_IP })).status).toBe(200);

  return { tenant, userId, email, secrets, keyId: apiKey.id, newKid, adminUserId: adminUser.user.id };
}

let story: Promise<Story> | undefined;
const getStory = () => (story ??= runStory());

function only(events: AuditEventBody[], type: string, predicate: (event: AuditEventBody) => boolean = () => true): AuditEventBody {
  const matching = events.filter((event) => event.type === type && predicate(event));
  expect(matching, `exactly one ${type} event`).toHaveLength(1);
  return matching[0] as AuditEventBody;
}

describe("audit events", () => {
  it("records every security event with actor, ip and user agent", async () => {
    const { tenant, userId, keyId, newKid, adminUserId } = await getStory();
    const events = await allAuditEvents(tenant);
    const fromBrowser = { ip: IP, user_agent: BROWSER_UA };
    const fromAdmin = { ip: ADMIN_IP, user_agent: ADMIN_UA };
    const byUser = { type: "user", id: userId };
    const byKey = { type: "api_key", id: expect.stringMatching(/^sk_/) };

    expect(only(events, "tenant.created")).toMatchObject({ actor: { type: "operator", id: null }, subject_id: tenant.id });
    expect(only(events, "user.created", (event) => event.subject_id === userId)).toMatchObject({
      ...fromBrowser,
      actor: byUser,
      data: { via: "sign_up" },
    });
    const sessionCreated = only(events, "session.created");
    expect(sessionCreated).toMatchObject({ ...fromBrowser, actor: byUser, subject_id: userId });
    expect(only(events, "sign_in.failed")).toMatchObject({
      ...fromBrowser,
      actor: { type: "anonymous", id: null },
      subject_id: userId,
      data: { reason: "wrong_password" },
    });
    const succeeded = events.filter((event) => event.type === "sign_in.succeeded" && event.subject_id === userId);
    expect(succeeded).toHaveLength(2);
    for (const event of succeeded) expect(event).toMatchObject({ ...fromBrowser, actor: byUser });
    expect(only(events, "session.refresh_token_reused")).toMatchObject({ ...fromBrowser, subject_id: userId });
    expect(only(events, "session.revoked")).toMatchObject({ ...fromBrowser, actor: byUser, subject_id: userId, data: { reason: "revoked_by_user" } });
    expect(only(events, "user.password_changed")).toMatchObject({ ...fromBrowser, actor: byUser, subject_id: userId });
    expect(only(events, "signing_key.rotated")).toMatchObject({ ...fromAdmin, actor: byKey, subject_id: newKid, data: { alg: "RS256" } });
    expect(only(events, "api_key.created", (event) => event.subject_id === keyId)).toMatchObject({ ...fromAdmin, actor: byKey });
    expect(only(events, "settings.updated")).toMatchObject({ ...fromAdmin, actor: byKey, data: { changed: ["password_policy.min_length"] } });
    expect(only(events, "user.updated", (event) => event.actor.type === "api_key")).toMatchObject({ ...fromAdmin, subject_id: userId, data: { fields: ["name"] } });
    expect(only(events, "user.banned")).toMatchObject({ ...fromAdmin, actor: byKey, subject_id: userId, data: { reason: "audit story" } });
    expect(only(events, "user.unbanned")).toMatchObject({ ip: ADMIN_IP, actor: { type: "user", id: adminUserId }, subject_id: userId });

    for (const event of events) {
      expect(event.id).toMatch(/^evt_/);
      expect(Number.isNaN(Date.parse(event.created_at))).toBe(false);
    }
  });

  it("lists newest first and pages with a cursor without gaps or duplicates", async () => {
    const { tenant } = await getStory();
    const all = await allAuditEvents(tenant);
    expect(all.length).toBeGreaterThan(15);
    const ids = all.map((event) => event.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const times = all.map((event) => Date.parse(event.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const paged: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await admin(tenant, `/audit-events?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(response.status).toBe(200);
      const page: PageBody<AuditEventBody> = await json<PageBody<AuditEventBody>>(response);
      expect(page.data.length).toBeLessThanOrEqual(4);
      paged.push(...page.data.map((event) => event.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 100);
    expect(cursor).toBeNull();
    expect(pages).toBe(Math.ceil(ids.length / 4));
    expect(paged).toEqual(ids);
  });

  it("filters by type, actor_id and subject_id, alone and together", async () => {
    const { tenant, userId, keyId } = await getStory();
    const all = await allAuditEvents(tenant);

    const byType = await allAuditEvents(tenant, { type: "sign_in.succeeded" });
    expect(byType.map((event) => event.id)).toEqual(all.filter((event) => event.type === "sign_in.succeeded").map((event) => event.id));
    expect(byType.length).toBeGreaterThanOrEqual(2);

    const byActor = await allAuditEvents(tenant, { actor_id: userId });
    expect(byActor.length).toBeGreaterThan(0);
    expect(byActor.map((event) => event.id)).toEqual(all.filter((event) => event.actor.id === userId).map((event) => event.id));

    const bySubject = await allAuditEvents(tenant, { subject_id: userId });
    expect(bySubject.map((event) => event.id)).toEqual(all.filter((event) => event.subject_id === userId).map((event) => event.id));

    const combined = await allAuditEvents(tenant, { type: "user.banned", subject_id: userId });
    expect(combined).toHaveLength(1);
    expect(await allAuditEvents(tenant, { type: "user.banned", subject_id: keyId })).toEqual([]);
    expect(await allAuditEvents(tenant, { type: "no.such.type" })).toEqual([]);

    // Filters and paging together.
    const first = await json<PageBody<AuditEventBody>>(await admin(tenant, `/audit-events?subject_id=${userId}&limit=2`));
    expect(first.data.map((event) => event.id)).toEqual(bySubject.slice(0, 2).map((event) => event.id));
    const next = await json<PageBody<AuditEventBody>>(
      await admin(tenant, `/audit-events?subject_id=${userId}&limit=2&cursor=${encodeURIComponent(first.next_cursor ?? "")}`),
    );
    expect(next.data.map((event) => event.id)).toEqual(bySubject.slice(2, 4).map((event) => event.id));
  });

  it("holds no secrets: no password, token, secret key or hash anywhere in the events", async () => {
    const { tenant, secrets } = await getStory();
    const text = JSON.stringify(await allAuditEvents(tenant));
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nor the random parts of tokens (a JWT's signature, a refresh token's body).
    for (const secret of secrets.filter((value) => value.length > 40)) expect(text).not.toContain(secret.slice(-24));
    expect(text).not.toMatch(/\$argon2|\$2[aby]\$|\$scrypt\$|pbkdf2/i);
    // A field named like a secret may only hold a flag or a count (e.g. `imported_hash: true`), never a string.
    const entriesOf = (value: unknown): [string, unknown][] =>
      value && typeof value === "object"
        ? Object.entries(value).flatMap(([key, inner]) => [[key, inner] as [string, unknown], ...entriesOf(inner)])
        : [];
    const suspicious = (JSON.parse(text) as AuditEventBody[])
      .flatMap((event) => entriesOf(event.data))
      .filter(([key, value]) => /password|token|secret|hash/i.test(key) && typeof value !== "boolean" && typeof value !== "number");
    expect(suspicious).toEqual([]);
  });

  it("is per tenant, admin-only, and validates its query", async () => {
    const { tenant, userId } = await getStory();
    const other = await createTenant();
    expect(await allAuditEvents(other, { subject_id: userId })).toEqual([]);
    const otherEvents = await allAuditEvents(other);
    expect(otherEvents.map((event) => event.type)).toEqual(["tenant.created"]);

    await expectProblem(await call(`${tenant.base}/admin/audit-events`), 401, "unauthorized");
    const user = await createSignedInUser(other, "user");
    await expectProblem(await call(`${other.base}/admin/audit-events`, { token: user.tokens.access_token }), 403, "forbidden");
    const admin2 = await createSignedInUser(other, "admin");
    expect((await call(`${other.base}/admin/audit-events`, { token: admin2.tokens.access_token })).status).toBe(200);

    const badCursor = (await expectProblem(await admin(tenant, "/audit-events?cursor=garbage"), 400, "validation_failed")) as ProblemBody;
    expect(badCursor.errors?.map((error) => error.path)).toContain("cursor");
    await expectProblem(await admin(tenant, "/audit-events?limit=0"), 400, "validation_failed");
    await expectProblem(await admin(tenant, "/audit-events?limit=101"), 400, "validation_failed");
  });

  it("records admin-created users with the admin as actor", async () => {
    const tenant = await createTenant();
    const created = await createUser(tenant, { email: uniqueEmail("by-key") });
    const [event] = await allAuditEvents(tenant, { subject_id: created.id });
    expect(event).toMatchObject({ type: "user.created", actor: { type: "api_key" }, data: { via: "admin", imported_hash: false } });
  });
});
