import { describe, expect, it } from "vitest";
import { allAuditEvents, clockedApi, type ProblemBody, retryAfter, uniqueEmail } from "./admin-helpers";
import { createTenant, expectProblem, freshIp, json, STRONG_PASSWORD, type TestTenant } from "./helpers";

/**
 * Every test here runs the api worker with a hand-moved clock (starting at
 * real time) over the real bindings, so "within a minute" and "after the lock
 * expires" are exact and nothing sleeps.
 */
function setup(tenant: TestTenant) {
  const api = clockedApi();
  const signIn = (email: string, password: string, ip: string) =>
    api.call(`${tenant.base}/sessions`, { body: { email, password }, ip });
  const signUp = (email: string, ip: string) => api.call(`${tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD }, ip });
  const createUser = async (email = uniqueEmail()) => {
    const response = await api.call(`${tenant.base}/admin/users`, { token: tenant.secretKey, body: { email, password: STRONG_PASSWORD } });
    expect(response.status).toBe(201);
    return { email, id: (await json<{ id: string }>(response)).id };
  };
  const patch = async (body: unknown) => {
    const response = await api.call(`${tenant.base}/admin/settings`, { method: "PATCH", token: tenant.secretKey, body });
    expect(response.status).toBe(200);
  };
  return { ...api, signIn, signUp, createUser, patch };
}

describe("sign-in rate limit per IP", () => {
  it("answers the 11th sign-in from one IP within a minute with 429 rate_limited and a numeric Retry-After", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const ip = freshIp();
    // Different accounts, so only the per-IP bucket is shared.
    for (let i = 0; i < 10; i++) {
      const response = await api.signIn(uniqueEmail("ip"), "wrong password entirely", ip);
      await expectProblem(response, 401, "invalid_credentials");
    }
    const limited = await api.signIn(uniqueEmail("ip"), "wrong password entirely", ip);
    await expectProblem(limited, 429, "rate_limited");
    expect(limited.headers.get("Retry-After")).toBe("6");

    // Another IP is unaffected, so it is the IP's bucket.
    await expectProblem(await api.signIn(uniqueEmail("ip"), "wrong password entirely", freshIp()), 401, "invalid_credentials");
    // One token refills after 60/10 = 6 s.
    api.clock.advance(5_000);
    const stillLimited = await api.signIn(uniqueEmail("ip"), "wrong password entirely", ip);
    await expectProblem(stillLimited, 429, "rate_limited");
    expect(retryAfter(stillLimited)).toBe(1);
    api.clock.advance(1_000);
    await expectProblem(await api.signIn(uniqueEmail("ip"), "wrong password entirely", ip), 401, "invalid_credentials");

    const events = await allAuditEvents(tenant, { type: "sign_in.rate_limited" });
    expect(events).toHaveLength(2);
    expect(events[0]?.ip).toBe(ip);
    expect(events[0]?.data).toEqual({ action: "sign_in:ip" });
  });

  it("counts successful sign-ins too", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const { email } = await api.createUser();
    await api.patch({ rate_limits: { sign_in_per_minute_per_ip: 3 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await api.signIn(email, STRONG_PASSWORD, ip)).status).toBe(200);
    const limited = await api.signIn(email, STRONG_PASSWORD, ip);
    await expectProblem(limited, 429, "rate_limited");
    expect(retryAfter(limited)).toBe(20);
  });
});

describe("sign-in rate limit per account", () => {
  it("limits one account to 10 a minute across different IPs, whatever the email's case", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const { email } = await api.createUser();
    for (let i = 0; i < 10; i++) expect((await api.signIn(email, STRONG_PASSWORD, freshIp())).status).toBe(200);
    const ip = freshIp();
    const limited = await api.signIn(email.toUpperCase(), STRONG_PASSWORD, ip);
    await expectProblem(limited, 429, "rate_limited");
    expect(retryAfter(limited)).toBe(6);

    // The same fresh IP can still sign in to another account: it is the account's bucket.
    const other = await api.createUser();
    expect((await api.signIn(other.email, STRONG_PASSWORD, ip)).status).toBe(200);

    const [event] = await allAuditEvents(tenant, { type: "sign_in.rate_limited" });
    expect(event?.data).toEqual({ action: "sign_in:account" });
    api.clock.advance(6_000);
    expect((await api.signIn(email, STRONG_PASSWORD, freshIp())).status).toBe(200);
  });

  it("limits an unknown email the same way", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    // Keep the lockout out of the way: this is about the rate limit.
    await api.patch({ lockout: { threshold: 100 } });
    const email = uniqueEmail("ghost");
    for (let i = 0; i < 10; i++) await expectProblem(await api.signIn(email, "wrong password entirely", freshIp()), 401, "invalid_credentials");
    const limited = await api.signIn(email, "wrong password entirely", freshIp());
    await expectProblem(limited, 429, "rate_limited");
    expect(retryAfter(limited)).toBe(6);
  });
});

describe("sign-up rate limit per IP", () => {
  it("applies the tenant's sign_up_per_hour_per_ip", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    await api.patch({ rate_limits: { sign_up_per_hour_per_ip: 3 } });
    const ip = freshIp();
    for (let i = 0; i < 3; i++) expect((await api.signUp(uniqueEmail("su"), ip)).status).toBe(201);
    const limited = await api.signUp(uniqueEmail("su"), ip);
    await expectProblem(limited, 429, "rate_limited");
    // One sign-up refills every 3600 / 3 = 1200 s.
    expect(retryAfter(limited)).toBe(1200);
    expect((await api.signUp(uniqueEmail("su"), freshIp())).status).toBe(201);
    api.clock.advance(1_200_000);
    expect((await api.signUp(uniqueEmail("su"), ip)).status).toBe(201);
    await expectProblem(await api.signUp(uniqueEmail("su"), ip), 429, "rate_limited");
  });

  it("uses 30 an hour by default", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const ip = freshIp();
    // Requests that fail validation after the limit check still spend a token, so use cheap invalid passwords.
    for (let i = 0; i < 30; i++) {
      const response = await api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail("d"), password: "short" }, ip });
      await expectProblem(response, 422, "weak_password");
    }
    const limited = await api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail("d"), password: "short" }, ip });
    await expectProblem(limited, 429, "rate_limited");
    expect(retryAfter(limited)).toBe(120);
  });
});

describe("account lockout", () => {
  it("locks after 5 wrong passwords (even the right one then gets 429 account_locked), audits it, and unlocks after ~30 s", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const user = await api.createUser();
    // Raise the per-account rate limit so it cannot be what stops us; use a new IP for every attempt.
    await api.patch({ rate_limits: { sign_in_per_minute_per_account: 1000 } });

    for (let i = 0; i < 5; i++) {
      await expectProblem(await api.signIn(user.email, "wrong password entirely", freshIp()), 401, "invalid_credentials");
    }
    const locked = await api.signIn(user.email, STRONG_PASSWORD, freshIp());
    const problem = (await expectProblem(locked, 429, "account_locked")) as ProblemBody;
    expect(problem.title).toBeTruthy();
    expect(retryAfter(locked)).toBe(30);

    const lockedEvents = await allAuditEvents(tenant, { type: "user.locked" });
    expect(lockedEvents).toHaveLength(1);
    expect(lockedEvents[0]?.subject_id).toBe(user.id);
    expect(lockedEvents[0]?.actor).toEqual({ type: "system", id: null });
    expect(lockedEvents[0]?.data).toEqual({ lock_seconds: 30 });
    const failed = await allAuditEvents(tenant, { type: "sign_in.failed", subject_id: user.id });
    expect(failed).toHaveLength(5);
    expect(failed.every((event) => event.data.reason === "wrong_password")).toBe(true);

    // Still locked one second before the end, with an honest Retry-After; attempts while locked do not extend it.
    api.clock.advance(29_000);
    const almost = await api.signIn(user.email, STRONG_PASSWORD, freshIp());
    await expectProblem(almost, 429, "account_locked");
    expect(retryAfter(almost)).toBe(1);
    await expectProblem(await api.signIn(user.email, "wrong password entirely", freshIp()), 429, "account_locked");

    api.clock.advance(1_000);
    const unlocked = await api.signIn(user.email, STRONG_PASSWORD, freshIp());
    expect(unlocked.status).toBe(200);
    expect(await allAuditEvents(tenant, { type: "user.locked" })).toHaveLength(1);

    // A success resets the count: four more failures do not lock.
    for (let i = 0; i < 4; i++) {
      await expectProblem(await api.signIn(user.email, "wrong password entirely", freshIp()), 401, "invalid_credentials");
    }
    expect((await api.signIn(user.email, STRONG_PASSWORD, freshIp())).status).toBe(200);
  });

  it("locks an unknown email exactly like a real account, with a growing delay", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const user = await api.createUser();
    const ghost = uniqueEmail("ghost");
    await api.patch({ rate_limits: { sign_in_per_minute_per_account: 1000 } });

    for (let i = 0; i < 5; i++) {
      const real = await api.signIn(user.email, "wrong password entirely", freshIp());
      const fake = await api.signIn(ghost, "wrong password entirely", freshIp());
      expect(fake.status).toBe(real.status);
      expect(await fake.json()).toEqual(await real.json());
    }
    const realLocked = await api.signIn(user.email, STRONG_PASSWORD, freshIp());
    const ghostLocked = await api.signIn(ghost, STRONG_PASSWORD, freshIp());
    expect(ghostLocked.status).toBe(429);
    expect(await ghostLocked.json()).toEqual(await realLocked.json());
    expect(ghostLocked.headers.get("Retry-After")).toBe(realLocked.headers.get("Retry-After"));
    expect(retryAfter(ghostLocked)).toBe(30);

    const locks = await allAuditEvents(tenant, { type: "user.locked" });
    expect(locks.map((event) => event.subject_id).sort()).toEqual([null, user.id].sort());

    // Without a success in between, the next lock lasts twice as long.
    api.clock.advance(30_000);
    for (let i = 0; i < 5; i++) {
      await expectProblem(await api.signIn(ghost, "wrong password entirely", freshIp()), 401, "invalid_credentials");
    }
    const longer = await api.signIn(ghost, "wrong password entirely", freshIp());
    await expectProblem(longer, 429, "account_locked");
    expect(retryAfter(longer)).toBe(60);
  });

  it("applies the tenant's lockout settings", async () => {
    const tenant = await createTenant();
    const api = setup(tenant);
    const user = await api.createUser();
    await api.patch({ lockout: { threshold: 2, base_seconds: 300 } });
    for (let i = 0; i < 2; i++) {
      await expectProblem(await api.signIn(user.email, "wrong password entirely", freshIp()), 401, "invalid_credentials");
    }
    const locked = await api.signIn(user.email, STRONG_PASSWORD, freshIp());
    await expectProblem(locked, 429, "account_locked");
    expect(retryAfter(locked)).toBe(300);
  });
});
