import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, createUser, uniqueEmail } from "./admin-helpers";
import { call, createTenant } from "./helpers";
import {
  authorizeAtProvider,
  browserCall,
  CookieJar,
  createOidcConnection,
  deliverCallback,
  linkedIdentitiesOf,
  loginCookieSet,
  OIDC_ISSUER,
  signInWithOidc,
  startSignIn,
  userByEmail,
  userWithVerifiedEmail,
} from "./upstream-helpers";

/**
 * Social sign-in against a real OpenID Provider (oidc-provider, started by
 * test/setup/upstream-providers.mjs on 127.0.0.1): discovery, state, nonce,
 * PKCE, ID token verification, account linking by verified email only.
 */
describe("upstream sign-in with a generic OIDC connection", () => {
  it("sends the browser to the provider with state, nonce and PKCE S256", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
    expect(authorizeUrl.origin).toBe(OIDC_ISSUER);
    const params = authorizeUrl.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(connection.client_id);
    expect(params.get("redirect_uri")).toBe(connection.redirect_uri);
    expect(params.get("scope")?.split(" ")).toEqual(["openid", "email", "profile"]);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("state")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("nonce")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(jar.get("__Host-plinto-upstream")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("creates a user and a linked identity on first sign-in, and finds the same user the second time", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("oidc");
    const account = { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true, name: "Ada Upstream" };

    const first = await signInWithOidc(tenant, connection.slug, account);
    expect(first.response.status).toBe(303);
    expect(first.response.headers.get("Location")).toBe(`${tenant.issuer}/login`);
    expect(loginCookieSet(first.response, tenant)).toBe(true);
    const user = await userByEmail(tenant, email);
    expect(user).toMatchObject({ email, emailVerified: true, name: "Ada Upstream", passwordHash: null });
    const identities = await linkedIdentitiesOf(tenant, user!.id);
    expect(identities).toHaveLength(1);
    expect(identities[0]).toMatchObject({ connectionId: connection.id, subject: account.sub, email });

    const second = await signInWithOidc(tenant, connection.slug, account);
    expect(second.response.status).toBe(303);
    expect(loginCookieSet(second.response, tenant)).toBe(true);
    expect((await userByEmail(tenant, email))?.id).toBe(user!.id);
    expect(await linkedIdentitiesOf(tenant, user!.id)).toHaveLength(1);

    const linked = await allAuditEvents(tenant, { type: "upstream.linked" });
    expect(linked).toHaveLength(1);
    expect(linked[0]?.data).toMatchObject({ connection_id: connection.id, via: "new_user" });
    const signIns = await allAuditEvents(tenant, { type: "upstream.sign_in" });
    expect(signIns.map((event) => event.data.outcome).sort()).toEqual(["created", "linked_identity"]);
    const sessions = await allAuditEvents(tenant, { type: "sign_in.succeeded" });
    expect(sessions.every((event) => JSON.stringify(event.data.amr) === JSON.stringify(["fed"]))).toBe(true);
  });

  it("links to an existing account with the same email when the provider verified the address", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("existing");
    const existing = await userWithVerifiedEmail(tenant, email);

    const { response } = await signInWithOidc(tenant, connection.slug, { sub: `sub-${crypto.randomUUID()}`, email: email.toUpperCase(), email_verified: true });
    expect(response.status).toBe(303);
    expect(loginCookieSet(response, tenant)).toBe(true);
    const identities = await linkedIdentitiesOf(tenant, existing.id);
    expect(identities).toHaveLength(1);
    const linked = await allAuditEvents(tenant, { type: "upstream.linked" });
    expect(linked[0]).toMatchObject({ subject_id: existing.id, data: { via: "verified_email" } });
  });

  it("never links an unverified upstream email to an existing account", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("victim");
    const existing = await userWithVerifiedEmail(tenant, email);

    const { response } = await signInWithOidc(tenant, connection.slug, { sub: `attacker-${crypto.randomUUID()}`, email, email_verified: false });
    expect(response.status).toBe(409);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    expect(await response.text()).toContain("has not verified the address");
    expect(loginCookieSet(response, tenant)).toBe(false);
    expect(await linkedIdentitiesOf(tenant, existing.id)).toHaveLength(0);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures[0]?.data).toMatchObject({ code: "upstream_email_unverified" });
  });

  it("refuses to link a verified upstream email to an account whose own address is unverified", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("prehijack");
    const existing = await createUser(tenant, { email });
    const { response } = await signInWithOidc(tenant, connection.slug, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true });
    expect(response.status).toBe(409);
    expect(await linkedIdentitiesOf(tenant, existing.id)).toHaveLength(0);
  });

  it("creates an unverified user when the provider did not verify a new address", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("fresh");
    const { response } = await signInWithOidc(tenant, connection.slug, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: false });
    expect(response.status).toBe(303);
    expect((await userByEmail(tenant, email))?.emailVerified).toBe(false);
  });

  it("continues to the hosted page the sign-in started from", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const returnTo = `${tenant.issuer}/device`;
    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug, new CookieJar(), `?return_to=${encodeURIComponent(returnTo)}`);
    const callbackUrl = await authorizeAtProvider(authorizeUrl, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("rt"), email_verified: true });
    const response = await deliverCallback(callbackUrl, jar);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(returnTo);
  });
});

describe("upstream sign-in refusals", () => {
  it("refuses an unknown state, a replayed state and a callback from another browser", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const account = { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("state"), email_verified: true };

    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
    const callbackUrl = await authorizeAtProvider(authorizeUrl, account);
    const forged = new URL(callbackUrl);
    forged.searchParams.set("state", "x".repeat(43));
    const unknown = await deliverCallback(forged, jar);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Start signing in again");

    const otherBrowser = await deliverCallback(callbackUrl, new CookieJar());
    expect(otherBrowser.status).toBe(400);
    // The state was consumed by that attempt: the right browser cannot use it afterwards either.
    const replayed = await deliverCallback(callbackUrl, jar);
    expect(replayed.status).toBe(400);
    expect(loginCookieSet(replayed, tenant)).toBe(false);

    const fresh = await startSignIn(tenant, connection.slug, jar);
    const goodCallback = await authorizeAtProvider(fresh.authorizeUrl, account);
    expect((await deliverCallback(goodCallback, jar)).status).toBe(303);
    const again = await deliverCallback(goodCallback, jar);
    expect(again.status).toBe(400);
    expect(loginCookieSet(again, tenant)).toBe(false);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures.map((event) => event.data.code)).toEqual(Array(4).fill("invalid_upstream_state"));
  });

  it("refuses an ID token whose nonce is not the one sent", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
    authorizeUrl.searchParams.set("nonce", "a-nonce-the-attacker-chose");
    const callbackUrl = await authorizeAtProvider(authorizeUrl, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("nonce"), email_verified: true });
    const response = await deliverCallback(callbackUrl, jar);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("could not be verified");
    expect(loginCookieSet(response, tenant)).toBe(false);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures[0]?.data).toMatchObject({ code: "upstream_token_rejected", reason: "the ID token's nonce does not match this sign-in" });
  });

  it("refuses a code redeemed without the right PKCE verifier (a code injected into another sign-in)", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const account = { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("pkce"), email_verified: true };
    const victim = await startSignIn(tenant, connection.slug);
    const stolen = await authorizeAtProvider((await startSignIn(tenant, connection.slug)).authorizeUrl, account);
    const mine = await authorizeAtProvider(victim.authorizeUrl, account);
    const injected = new URL(mine);
    injected.searchParams.set("code", stolen.searchParams.get("code") ?? "");
    const response = await deliverCallback(injected, victim.jar);
    expect(response.status).toBe(400);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures[0]?.data).toMatchObject({ code: "upstream_token_rejected", reason: "the provider's token endpoint answered invalid_grant" });
    expect(loginCookieSet(response, tenant)).toBe(false);
  });

  it("refuses an authorization response naming another issuer (RFC 9207)", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
    const callbackUrl = await authorizeAtProvider(authorizeUrl, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("iss"), email_verified: true });
    expect(callbackUrl.searchParams.get("iss")).toBe(OIDC_ISSUER);
    callbackUrl.searchParams.set("iss", "https://evil.example");
    expect((await deliverCallback(callbackUrl, jar)).status).toBe(400);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures[0]?.data).toMatchObject({ code: "upstream_token_rejected", reason: "the authorization response names another issuer (RFC 9207)" });
  });

  it("shows the provider's access_denied on the hosted error page", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
    const callbackUrl = await authorizeAtProvider(authorizeUrl, "deny");
    expect(callbackUrl.searchParams.get("error")).toBe("access_denied");
    const response = await deliverCallback(callbackUrl, jar);
    expect(response.status).toBe(400);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain("did not sign you in");
    expect(page).toContain("access_denied");
    expect(loginCookieSet(response, tenant)).toBe(false);
  });

  it("refuses another tenant's state at a connection of the same name", async () => {
    const [tenant, other] = [await createTenant(), await createTenant()];
    const slug = `same-${crypto.randomUUID().slice(0, 8)}`;
    await createOidcConnection(tenant, slug);
    await createOidcConnection(other, slug);
    const { authorizeUrl, jar } = await startSignIn(tenant, slug);
    const callbackUrl = await authorizeAtProvider(authorizeUrl, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("cross"), email_verified: true });
    callbackUrl.pathname = callbackUrl.pathname.replace(`/t/${tenant.slug}/`, `/t/${other.slug}/`);
    const response = await deliverCallback(callbackUrl, jar);
    expect(response.status).toBe(400);
    expect(loginCookieSet(response, other)).toBe(false);
  });

  it("answers 404 for an unknown or disabled connection", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    expect((await call(`/t/${tenant.slug}/connections/nope-nope/start`)).status).toBe(404);
    await admin(tenant, `/connections/${connection.id}`, { method: "PATCH", body: { enabled: false } });
    expect((await call(`/t/${tenant.slug}/connections/${connection.slug}/start`)).status).toBe(404);
  });
});

describe("upstream sign-in rate limit", () => {
  it("counts each start as a sign-in attempt from the address", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const patched = await admin(tenant, "/settings", { method: "PATCH", body: { rate_limits: { sign_in_per_minute_per_ip: 2 } } });
    expect(patched.status).toBe(200);
    const start = () => browserCall(`/t/${tenant.slug}/connections/${connection.slug}/start`, new CookieJar());
    expect((await start()).status).toBe(302);
    expect((await start()).status).toBe(302);
    const limited = await start();
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain("Too many attempts");
  });
});
