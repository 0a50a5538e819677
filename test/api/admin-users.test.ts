import { env } from "cloudflare:workers";
import { storageFor } from "../../workers/api/storage";
import { describe, expect, it } from "vitest";
import {
  admin,
  allAuditEvents,
  createSignedInUser,
  createUser,
  type PageBody,
  type ProblemBody,
  uniqueEmail,
  type UserBody,
} from "./admin-helpers";
import { call, createTenant, expectProblem, json, signIn, signUp, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";

/**
 * bcrypt (cost 10) of IMPORTED_PASSWORD, made with bcryptjs in Node when this
 * test was written: `bcrypt.hashSync("imported password from legacy", 10)`.
 */
const IMPORTED_PASSWORD = "imported password from legacy";
const IMPORTED_BCRYPT = "$2b$10$g0AigzfbT82LmB7MDvCAp.r4zxGAAbPNrNUDaXfuZqHxZoNpLBL46";

async function storedHash(tenant: TestTenant, userId: string): Promise<string | null> {
  return (await storageFor(env).users.getById(tenant.id, userId))?.passwordHash ?? null;
}

async function listPage(tenant: TestTenant, query: Record<string, string>): Promise<PageBody<UserBody>> {
  const response = await admin(tenant, `/users?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  return json<PageBody<UserBody>>(response);
}

const refresh = (tenant: TestTenant, refreshToken: string) =>
  call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: refreshToken } });

describe("admin users: auth", () => {
  it("accepts the secret key and an admin user's token; a plain user's token is 403 forbidden", async () => {
    const tenant = await createTenant();
    expect((await admin(tenant, "/users")).status).toBe(200);
    const adminUser = await createSignedInUser(tenant, "admin");
    expect((await call(`${tenant.base}/admin/users`, { token: adminUser.tokens.access_token })).status).toBe(200);
    const created = await createUser(tenant, { email: uniqueEmail("by-admin") }, adminUser.tokens.access_token);
    const [event] = await allAuditEvents(tenant, { type: "user.created", subject_id: created.id });
    expect(event?.actor).toEqual({ type: "user", id: adminUser.user.id });

    const user = await createSignedInUser(tenant, "user");
    const forbidden = await call(`${tenant.base}/admin/users`, { token: user.tokens.access_token });
    await expectProblem(forbidden, 403, "forbidden");
    await expectProblem(await call(`${tenant.base}/admin/users`), 401, "unauthorized");
    await expectProblem(await call(`${tenant.base}/admin/users`, { token: "sk_notarealkey" }), 401, "invalid_api_key");
  });

  it("stops honouring an admin token once the user is demoted", async () => {
    const tenant = await createTenant();
    const adminUser = await createSignedInUser(tenant, "admin");
    const demote = await admin(tenant, `/users/${adminUser.user.id}`, { method: "PATCH", body: { role: "user" } });
    expect(demote.status).toBe(200);
    await expectProblem(await call(`${tenant.base}/admin/users`, { token: adminUser.tokens.access_token }), 403, "forbidden");
  });

  it("never lets a key or an admin of tenant A manage tenant B", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const userOfB = await createUser(b, {});
    expect((await call(`${b.base}/admin/users`, { token: a.secretKey })).status).toBe(401);
    const adminOfA = await createSignedInUser(a, "admin");
    expect((await call(`${b.base}/admin/users`, { token: adminOfA.tokens.access_token })).status).toBe(401);
    // A user id of B is simply unknown in A.
    await expectProblem(await admin(a, `/users/${userOfB.id}`), 404, "not_found");
  });
});

describe("admin users: create", () => {
  it("creates a user with a password who can then sign in", async () => {
    const tenant = await createTenant();
    const email = uniqueEmail("Created");
    const user = await createUser(tenant, { email, password: STRONG_PASSWORD, name: "Created User" });
    expect(user).toMatchObject({ email, name: "Created User", role: "user", banned: false, email_verified: false, last_sign_in_at: null });
    expect(JSON.stringify(user)).not.toMatch(/argon2|password/i);
    expect((await storedHash(tenant, user.id)) ?? "").toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const signedIn = await signIn(tenant, email.toUpperCase());
    expect(signedIn.status).toBe(200);
  });

  it("imports a bcrypt hash, signs in with the plain password and upgrades the hash to argon2id", async () => {
    const tenant = await createTenant();
    const email = uniqueEmail("imported");
    const user = await createUser(tenant, { email, password_hash: IMPORTED_BCRYPT });
    expect(await storedHash(tenant, user.id)).toBe(IMPORTED_BCRYPT);
    const [created] = await allAuditEvents(tenant, { type: "user.created", subject_id: user.id });
    expect(created?.data).toEqual({ via: "admin", imported_hash: true });

    await expectProblem(await signIn(tenant, email, "not the imported password"), 401, "invalid_credentials");
    expect(await storedHash(tenant, user.id)).toBe(IMPORTED_BCRYPT);

    const first = await signIn(tenant, email, IMPORTED_PASSWORD);
    expect(first.status).toBe(200);
    const upgraded = await storedHash(tenant, user.id);
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const rehashed = await allAuditEvents(tenant, { type: "user.password_rehashed" });
    expect(rehashed).toHaveLength(1);
    expect(rehashed[0]?.subject_id).toBe(user.id);

    // The second sign-in verifies against the new argon2id hash and does not rehash again.
    const second = await signIn(tenant, email, IMPORTED_PASSWORD);
    expect(second.status).toBe(200);
    expect(await storedHash(tenant, user.id)).toBe(upgraded);
    expect(await allAuditEvents(tenant, { type: "user.password_rehashed" })).toHaveLength(1);
  });

  it("rejects bad input: both password and hash, weak password, duplicate email, bad email", async () => {
    const tenant = await createTenant();
    const create = (body: unknown) => admin(tenant, "/users", { body });
    const email = uniqueEmail();
    const both = await expectProblem(await create({ email, password: STRONG_PASSWORD, password_hash: IMPORTED_BCRYPT }), 400, "validation_failed");
    expect((both as ProblemBody).errors?.map((error) => error.path)).toContain("password_hash");
    await expectProblem(await create({ email, password: "short" }), 422, "weak_password");
    await expectProblem(await create({ email, password: "password1234" }), 422, "weak_password");
    const badEmail = (await expectProblem(await create({ email: "not-an-email" }), 400, "validation_failed")) as ProblemBody;
    expect(badEmail.errors?.map((error) => error.path)).toContain("email");
    const badRole = (await expectProblem(await create({ email, role: "root" }), 400, "validation_failed")) as ProblemBody;
    expect(badRole.errors?.map((error) => error.path)).toContain("role");
    expect((await create({ email })).status).toBe(201);
    await expectProblem(await create({ email: email.toUpperCase() }), 409, "email_taken");
  });
});

describe("admin users: list, search, filter, get", () => {
  it("pages newest first with a cursor: 2, 2, 1, then next_cursor null, no duplicates", async () => {
    const tenant = await createTenant();
    const created: UserBody[] = [];
    for (let i = 0; i < 5; i++) created.push(await createUser(tenant, { email: uniqueEmail(`page${i}`) }));
    const newestFirst = created.map((user) => user.id).reverse();

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: PageBody<UserBody> = await listPage(tenant, { limit: "2", ...(cursor ? { cursor } : {}) });
      sizes.push(page.data.length);
      seen.push(...page.data.map((user) => user.id));
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(sizes).toEqual([2, 2, 1]);
    expect(cursor).toBeNull();
    expect(seen).toEqual(newestFirst);
    expect(new Set(seen).size).toBe(5);

    // A limit equal to the total needs no second page.
    const all = await listPage(tenant, { limit: "5" });
    expect(all.data.map((user) => user.id)).toEqual(newestFirst);
    expect(all.next_cursor).toBeNull();
  });

  it("rejects a bad cursor and a bad limit with 400", async () => {
    const tenant = await createTenant();
    for (const cursor of ["not-a-cursor", "!!!", btoa("usr_x").replace(/=+$/, ""), "a".repeat(201)]) {
      const response = await admin(tenant, `/users?cursor=${encodeURIComponent(cursor)}`);
      const problem = (await expectProblem(response, 400, "validation_failed")) as ProblemBody;
      expect(problem.errors?.map((error) => error.path)).toContain("cursor");
    }
    for (const limit of ["0", "101", "abc", "1.5"]) {
      await expectProblem(await admin(tenant, `/users?limit=${limit}`), 400, "validation_failed");
    }
    await expectProblem(await admin(tenant, "/users?banned=yes"), 400, "validation_failed");
  });

  it("searches by email prefix, case-insensitively, and treats LIKE wildcards literally", async () => {
    const tenant = await createTenant();
    const tag = Math.random().toString(36).slice(2, 8);
    const alice1 = await createUser(tenant, { email: `alice.${tag}.1@example.com` });
    const alice2 = await createUser(tenant, { email: `Alice.${tag}.2@example.com` });
    await createUser(tenant, { email: `bob.${tag}@example.com` });
    await createUser(tenant, { email: `xalice.${tag}@example.com` });

    const found = await listPage(tenant, { query: `ALICE.${tag}` });
    expect(found.data.map((user) => user.id)).toEqual([alice2.id, alice1.id]);
    expect((await listPage(tenant, { query: "alice" })).data).toHaveLength(2);
    expect((await listPage(tenant, { query: "%" })).data).toHaveLength(0);
    expect((await listPage(tenant, { query: "_lice" })).data).toHaveLength(0);
    expect((await listPage(tenant, { query: "nobody" })).data).toEqual([]);
  });

  it("filters by banned", async () => {
    const tenant = await createTenant();
    const kept = await createUser(tenant, {});
    const banned = await createUser(tenant, {});
    expect((await admin(tenant, `/users/${banned.id}/ban`, { body: { reason: "spam" } })).status).toBe(200);
    expect((await listPage(tenant, { banned: "true" })).data.map((user) => user.id)).toEqual([banned.id]);
    expect((await listPage(tenant, { banned: "false" })).data.map((user) => user.id)).toEqual([kept.id]);
    expect((await listPage(tenant, {})).data).toHaveLength(2);
  });

  it("gets a user by id; an unknown id is 404 not_found", async () => {
    const tenant = await createTenant();
    const user = await createUser(tenant, { name: "Ada" });
    const response = await admin(tenant, `/users/${user.id}`);
    expect(response.status).toBe(200);
    expect(await json<UserBody>(response)).toEqual(user);
    await expectProblem(await admin(tenant, "/users/usr_01JZZZZZZZZZZZZZZZZZZZZZZZ"), 404, "not_found");
    await expectProblem(await admin(tenant, "/users/usr_unknown", { method: "PATCH", body: { name: "x" } }), 404, "not_found");
    await expectProblem(await admin(tenant, "/users/usr_unknown/ban", { body: {} }), 404, "not_found");
    await expectProblem(await admin(tenant, "/users/usr_unknown/unban", { method: "POST" }), 404, "not_found");
    await expectProblem(await admin(tenant, "/users/usr_unknown", { method: "DELETE" }), 404, "not_found");
  });
});

describe("admin users: update, ban, unban, delete", () => {
  it("updates fields; an email change to a taken email is 409 and changes nothing", async () => {
    const tenant = await createTenant();
    const taken = await createUser(tenant, {});
    const user = await createUser(tenant, { password: STRONG_PASSWORD });
    const update = (body: unknown) => admin(tenant, `/users/${user.id}`, { method: "PATCH", body });

    const renamed = await update({ name: "Grace", metadata: { plan: "pro" }, email_verified: true });
    expect(renamed.status).toBe(200);
    expect(await json<UserBody>(renamed)).toMatchObject({ name: "Grace", metadata: { plan: "pro" }, email_verified: true });

    await expectProblem(await update({ email: taken.email.toUpperCase() }), 409, "email_taken");
    const unchanged = await json<UserBody>(await admin(tenant, `/users/${user.id}`));
    expect(unchanged.email).toBe(user.email);

    const newEmail = uniqueEmail("moved");
    const moved = await json<UserBody>(await update({ email: newEmail }));
    expect(moved.email).toBe(newEmail);
    expect(moved.email_verified).toBe(false);
    expect((await signIn(tenant, newEmail)).status).toBe(200);
    await expectProblem(await signIn(tenant, user.email), 401, "invalid_credentials");

    const badPaths = (await expectProblem(await update({ id: "usr_other", banned: true }), 400, "validation_failed")) as ProblemBody;
    expect(JSON.stringify(badPaths.errors)).toMatch(/id|banned/);
    const [event] = await allAuditEvents(tenant, { type: "user.updated", subject_id: user.id });
    expect(event?.data.fields).toEqual(["email"]);
  });

  it("ban revokes sessions (refresh and access fail), blocks sign-in with 403 user_banned; unban restores it", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const me = await json<UserBody>(await call(`${tenant.base}/me`, { token: tokens.access_token }));

    const banned = await admin(tenant, `/users/${me.id}/ban`, { body: { reason: "fraud" } });
    expect(banned.status).toBe(200);
    expect(await json<UserBody>(banned)).toMatchObject({ banned: true, ban_reason: "fraud" });

    await expectProblem(await refresh(tenant, tokens.refresh_token), 401, "invalid_refresh_token");
    await expectProblem(await call(`${tenant.base}/me`, { token: tokens.access_token }), 401, "invalid_token");
    await expectProblem(await signIn(tenant, email), 403, "user_banned");
    // A wrong password for a banned account says no more than for anyone else.
    await expectProblem(await signIn(tenant, email, "wrong password entirely"), 401, "invalid_credentials");

    const [event] = await allAuditEvents(tenant, { type: "user.banned", subject_id: me.id });
    expect(event?.data).toEqual({ reason: "fraud", revoked_sessions: 1 });

    const unbanned = await admin(tenant, `/users/${me.id}/unban`, { method: "POST" });
    expect(unbanned.status).toBe(200);
    expect(await json<UserBody>(unbanned)).toMatchObject({ banned: false, ban_reason: null });
    const again = await signIn(tenant, email);
    expect(again.status).toBe(200);
    const fresh = await json<TokenBody>(again);
    expect((await call(`${tenant.base}/me`, { token: fresh.access_token })).status).toBe(200);
    // The sessions revoked by the ban stay revoked.
    await expectProblem(await refresh(tenant, tokens.refresh_token), 401, "invalid_refresh_token");
  });

  it("delete removes the user (then 404) and revokes its sessions", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const me = await json<UserBody>(await call(`${tenant.base}/me`, { token: tokens.access_token }));

    const deleted = await admin(tenant, `/users/${me.id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    await expectProblem(await admin(tenant, `/users/${me.id}`), 404, "not_found");
    await expectProblem(await admin(tenant, `/users/${me.id}`, { method: "DELETE" }), 404, "not_found");
    await expectProblem(await refresh(tenant, tokens.refresh_token), 401, "invalid_refresh_token");
    await expectProblem(await call(`${tenant.base}/me`, { token: tokens.access_token }), 401, "invalid_token");
    await expectProblem(await signIn(tenant, email), 401, "invalid_credentials");
    // Erasure: user.deleted names a pseudonym, and no event names the user any more (test/api/erasure.test.ts).
    const deletedEvents = await allAuditEvents(tenant, { type: "user.deleted" });
    expect(deletedEvents.map((event) => event.subject_id)).toEqual([expect.stringMatching(/^anon_/)]);
    expect(await allAuditEvents(tenant, { subject_id: me.id })).toEqual([]);

    // The email is free again.
    expect((await admin(tenant, "/users", { body: { email } })).status).toBe(201);
  });
});
