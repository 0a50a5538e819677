import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../workers/api/app";
import { admin, uniqueEmail } from "./admin-helpers";
import { call, createTenant, json, ORIGIN } from "./helpers";
import { authorizeUrl, Browser, type Fetcher, followToClient, locationOf, pkce, REDIRECT_URI, registerClient, workerFetch } from "./hosted-login-helpers";
import { userWithTotp, world } from "./mfa-helpers";
import { tokenRequest } from "./oauth-token-helpers";
import { authorizeAtProvider, createOidcConnection, linkedIdentitiesOf, OIDC_ISSUER, userByEmail } from "./upstream-helpers";

/**
 * Social sign-in inside the hosted login: an OAuth authorization request to
 * Plinto is answered by signing in at an upstream OpenID Provider, and the
 * relying party receives a code whose ID token says `amr: ["fed"]`.
 */
const decode = (jwt: string): Record<string, unknown> => {
  const part = (jwt.split(".")[1] ?? "").replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4))) as Record<string, unknown>;
};

describe("upstream sign-in in the hosted login", () => {
  it("resumes the authorization request and the client gets a code for the upstream user", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const client = await registerClient(tenant, { firstParty: true });
    const { verifier, challenge } = await pkce();
    const browser = new Browser(workerFetch);

    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, scope: "openid email" })));
    const page = await (await browser.get(login.pathname + login.search)).text();
    const start = `${tenant.issuer}/connections/${connection.slug}/start${login.search}`.replace(ORIGIN, "");
    expect(page).toContain(`href="${ORIGIN}${start.replace(/&/g, "&amp;")}"`);

    const toProvider = locationOf(await browser.get(start));
    expect(toProvider.origin).toBe(OIDC_ISSUER);
    const email = uniqueEmail("rp");
    const callback = await authorizeAtProvider(toProvider, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true });
    const signedIn = await browser.get(callback.pathname + callback.search);
    expect(locationOf(signedIn).pathname).toBe(`/t/${tenant.slug}/login/continue`);

    const atClient = await followToClient(browser, signedIn);
    expect(`${atClient.origin}${atClient.pathname}`).toBe(REDIRECT_URI);
    expect(atClient.searchParams.get("state")).toBe("state-123");
    const code = atClient.searchParams.get("code") ?? "";
    const tokens = await tokenRequest(tenant, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: client.id, code_verifier: verifier });
    expect(tokens.status).toBe(200);
    const idToken = decode((await json<{ id_token: string }>(tokens)).id_token);
    const user = await userByEmail(tenant, email);
    expect(idToken).toMatchObject({ sub: user!.id, email, email_verified: true, amr: ["fed"], nonce: "nonce-456" });
  });

  it("accepts the authorization response as a form post (Apple's response_mode=form_post)", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const browser = new Browser(workerFetch);
    const toProvider = locationOf(await browser.get(`/t/${tenant.slug}/connections/${connection.slug}/start`));
    const callback = await authorizeAtProvider(toProvider, { sub: `sub-${crypto.randomUUID()}`, email: uniqueEmail("post"), email_verified: true });
    // A cross-site POST from the provider's page: only the SameSite=None binding cookie comes along.
    const response = await browser.post(callback.pathname, Object.fromEntries(callback.searchParams), OIDC_ISSUER);
    expect(response.status).toBe(303);
    expect(response.headers.getSetCookie().some((line) => line.startsWith(`__Host-plinto-${tenant.id}=`))).toBe(true);
  });

  it("sets the binding cookie as __Host-, Secure, HttpOnly and SameSite=None", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const response = await new Browser(workerFetch).get(`/t/${tenant.slug}/connections/${connection.slug}/start`);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("__Host-plinto-upstream="));
    expect(cookie).toMatch(/; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=None$/);
  });

  it("sends a user with TOTP on to the hosted MFA challenge", async () => {
    const w = await world();
    const { email } = await userWithTotp(w);
    const user = await userByEmail(w.tenant, email);
    await admin(w.tenant, `/users/${user!.id}`, { method: "PATCH", body: { email_verified: true } });
    const connection = await createOidcConnection(w.tenant);
    const browser = new Browser(workerFetch);
    const toProvider = locationOf(await browser.get(`/t/${w.tenant.slug}/connections/${connection.slug}/start`));
    const callback = await authorizeAtProvider(toProvider, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true });
    const response = await browser.get(callback.pathname + callback.search);
    expect(locationOf(response).pathname).toBe(`/t/${w.tenant.slug}/login/mfa`);
    expect(response.headers.getSetCookie().some((line) => line.startsWith(`__Host-plinto-${w.tenant.id}=`))).toBe(false);
    expect(await linkedIdentitiesOf(w.tenant, user!.id)).toHaveLength(1);
  });

  it("shows a banned user the hosted error page", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("banned");
    const account = { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true };
    const browser = new Browser(workerFetch);
    const first = locationOf(await browser.get(`/t/${tenant.slug}/connections/${connection.slug}/start`));
    const firstCallback = await authorizeAtProvider(first, account);
    expect((await browser.get(firstCallback.pathname + firstCallback.search)).status).toBe(303);
    const user = await userByEmail(tenant, email);
    expect((await admin(tenant, `/users/${user!.id}/ban`, { body: {} })).status).toBe(200);

    const again = locationOf(await browser.get(`/t/${tenant.slug}/connections/${connection.slug}/start`));
    const callback = await authorizeAtProvider(again, account);
    const response = await browser.get(callback.pathname + callback.search);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("suspended");
  });

  it("mails a verification link to a new user whose address the provider did not verify", async () => {
    const app = buildApp();
    // Waits for the work after the response (the mail), as a finished request would have done.
    const waiting: Fetcher = async (request) => {
      const ctx = createExecutionContext();
      const response = await app.fetch(request, env, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const browser = new Browser(waiting);
    const toProvider = locationOf(await browser.get(`/t/${tenant.slug}/connections/${connection.slug}/start`));
    const email = uniqueEmail("unverified");
    const callback = await authorizeAtProvider(toProvider, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: false });
    expect((await browser.get(callback.pathname + callback.search)).status).toBe(303);
    const mailbox = await json<{ data: { subject: string }[] }>(await call(`/dev/mailbox/messages?to=${encodeURIComponent(email)}`));
    expect(mailbox.data).toHaveLength(1);
    const verified = uniqueEmail("verified");
    const second = locationOf(await browser.get(`/t/${tenant.slug}/connections/${connection.slug}/start`));
    const secondCallback = await authorizeAtProvider(second, { sub: `sub-${crypto.randomUUID()}`, email: verified, email_verified: true });
    expect((await browser.get(secondCallback.pathname + secondCallback.search)).status).toBe(303);
    expect((await json<{ data: unknown[] }>(await call(`/dev/mailbox/messages?to=${encodeURIComponent(verified)}`))).data).toHaveLength(0);
  });
});
