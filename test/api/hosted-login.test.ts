import { describe, expect, it } from "vitest";
import { call, createTenant, json, ORIGIN, requestFor, signUp, STRONG_PASSWORD, type TestTenant } from "./helpers";
import {
  authorizeUrl,
  Browser,
  clockedFetcher,
  followToClient,
  formOf,
  locationOf,
  pkce,
  REDIRECT_URI,
  registerClient,
  signInOnPage,
  workerFetch,
} from "./hosted-login-helpers";
import { tokenRequest } from "./oauth-token-helpers";
import { codeAt, enrolTotp, STEP_MS, type World } from "./mfa-helpers";
import { registerPasskey, type RequestOptionsBody } from "./passkey-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

const loginPath = (tenant: TestTenant) => `/t/${tenant.slug}/login`;

async function signedInBrowser(tenant: TestTenant, email: string, browser = new Browser(workerFetch)) {
  const { fields } = await formOf(browser, loginPath(tenant));
  const response = await browser.post(loginPath(tenant), { ...fields, email, password: STRONG_PASSWORD });
  expect(response.status).toBe(303);
  return browser;
}

const isSignedIn = async (browser: Browser, tenant: TestTenant) => (await (await browser.get(loginPath(tenant))).text()).includes("You are signed in as");

describe("hosted pages: structure, branding and security headers", () => {
  it("serve accessible HTML: lang, main, h1, labelled inputs, a nonce'd style and a CSP without script", async () => {
    const tenant = await createTenant();
    const response = await new Browser(workerFetch).get(loginPath(tenant));
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toMatch(/<main>[\s\S]*<h1>Sign in<\/h1>[\s\S]*<\/main>/);
    expect(page).toContain('<label for="email">Email address</label>');
    expect(page).toContain('<label for="password">Password</label>');
    expect(page).toMatch(/<input id="email" name="email" type="email"[^>]* autocomplete="username"/);
    expect(page).not.toContain("<script");
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /style-src 'nonce-([\w-]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(page).toContain(`<style nonce="${nonce}">`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain("script-src");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const csrfCookie = response.headers.getSetCookie().find((cookie) => cookie.startsWith("__Host-plinto-csrf="));
    expect(csrfCookie).toMatch(/; Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });

  it("show the tenant's branding; the authorization page's CSP lets the form reach the client's redirect_uri", async () => {
    const tenant = await createTenant();
    const patched = await call(`${tenant.base}/admin/settings`, {
      method: "PATCH",
      token: tenant.secretKey,
      body: { branding: { display_name: "Acme <Corp>", logo_url: "https://cdn.acme.example/logo.svg", primary_color: "#aa0000", background_color: "#fafafa" } },
    });
    expect(patched.status).toBe(200);
    const client = await registerClient(tenant);
    const browser = new Browser(workerFetch);
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge: (await pkce()).challenge })));
    const response = await browser.get(login.pathname + login.search);
    const page = await response.text();
    expect(page).toContain('<img src="https://cdn.acme.example/logo.svg" alt="Acme &lt;Corp&gt;">');
    expect(page).toContain("<title>Sign in - Acme &lt;Corp&gt;</title>");
    expect(page).toContain("--primary:#aa0000;--background:#fafafa");
    expect(response.headers.get("Content-Security-Policy")).toContain("form-action 'self' https://rp.example");
  });
});

describe("sign-in form", () => {
  it("a wrong password re-renders with an error summary linked to the field and keeps the email", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { fields } = await formOf(browser, loginPath(tenant));
    const response = await browser.post(loginPath(tenant), { ...fields, email, password: "not the password at all" });
    expect(response.status).toBe(401);
    const page = await response.text();
    expect(page).toContain('role="alert"');
    expect(page).toContain('<a href="#password">Email or password is incorrect</a>');
    expect(page).toContain(`value="${email}"`);
    expect(page).toMatch(/id="password"[^>]*aria-describedby="password-error"[^>]*aria-invalid="true"/);
    expect(page).toContain("<title>Error: Sign in");
  });

  it("empty fields are named in the summary", async () => {
    const tenant = await createTenant();
    const browser = new Browser(workerFetch);
    const { fields } = await formOf(browser, loginPath(tenant));
    const page = await (await browser.post(loginPath(tenant), { ...fields, email: "", password: "" })).text();
    expect(page).toContain('<a href="#email">Enter your email address</a>');
    expect(page).toContain('<a href="#password">Enter your password</a>');
  });

  it("a good password sets the __Host- login cookie (Secure, HttpOnly, SameSite=Lax, Path=/, Max-Age) and /login says who is signed in", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { fields } = await formOf(browser, loginPath(tenant));
    const response = await browser.post(loginPath(tenant), { ...fields, email, password: STRONG_PASSWORD });
    const cookie = response.headers.getSetCookie().find((value) => value.startsWith(`__Host-plinto-${tenant.id}=`));
    expect(cookie).toMatch(/; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(await isSignedIn(browser, tenant)).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example/x", null],
    ["a scheme-relative URL", "//evil.example/x", null],
    ["another tenant", "/t/other-tenant/device", null],
    ["a path under this issuer", "/device?user_code=ABCD-EFGH", "/device?user_code=ABCD-EFGH"],
  ])("return_to naming %s leads to %s after sign-in", async (_name, returnTo, expected) => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const target = returnTo.startsWith("/device") ? `/t/${tenant.slug}${returnTo}` : returnTo;
    const { fields } = await formOf(browser, `${loginPath(tenant)}?return_to=${encodeURIComponent(target)}`);
    const response = await browser.post(loginPath(tenant), { ...fields, email, password: STRONG_PASSWORD });
    const location = locationOf(response);
    expect(location.origin).toBe(ORIGIN);
    expect(`${location.pathname}${location.search}`).toBe(`/t/${tenant.slug}${expected ?? "/login"}`);
  });

  it("a tampered login cookie counts as signed out", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = await signedInBrowser(tenant, email);
    const name = `__Host-plinto-${tenant.id}`;
    const value = browser.cookies.get(name) ?? "";
    browser.cookies.set(name, value.replace(/^usr_./, "usr_X"));
    expect(await isSignedIn(browser, tenant)).toBe(false);
  });
});

describe("CSRF", () => {
  it("refuses a cross-site POST, a POST without Origin, a missing token and another browser's token", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { fields } = await formOf(browser, loginPath(tenant));
    const credentials = { email, password: STRONG_PASSWORD };
    expect((await browser.post(loginPath(tenant), { ...fields, ...credentials }, "https://evil.example")).status).toBe(403);
    expect((await browser.post(loginPath(tenant), { ...fields, ...credentials }, null)).status).toBe(403);
    expect((await browser.post(loginPath(tenant), credentials)).status).toBe(403);
    const other = new Browser(workerFetch);
    const otherForm = await formOf(other, loginPath(tenant));
    expect((await browser.post(loginPath(tenant), { ...otherForm.fields, ...credentials })).status).toBe(403);
    expect(await isSignedIn(browser, tenant)).toBe(false);
    expect((await browser.post(loginPath(tenant), { ...fields, ...credentials })).status).toBe(303);
  });
});

describe("sign-up page", () => {
  it("creates the account through the core sign-up and signs the browser in; policy errors re-render", async () => {
    const tenant = await createTenant();
    const browser = new Browser(workerFetch);
    const path = `${loginPath(tenant)}/sign-up`;
    const { fields } = await formOf(browser, path);
    const email = `new-${Date.now()}@example.com`;
    const weak = await browser.post(path, { ...fields, email, password: "short" });
    expect(weak.status).toBe(422);
    const weakPage = await weak.text();
    expect(weakPage).toContain('<a href="#password">Password must be at least 12 characters</a>');
    expect(weakPage).toContain(`value="${email}"`);
    const created = await browser.post(path, { ...fields, email, password: STRONG_PASSWORD });
    expect(created.status).toBe(303);
    expect(await isSignedIn(browser, tenant)).toBe(true);
    const fresh = new Browser(workerFetch);
    const taken = await fresh.post(path, { ...(await formOf(fresh, path)).fields, email, password: STRONG_PASSWORD });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('<a href="#email">An account with this email already exists');
  });
});

describe("MFA page", () => {
  it("a TOTP user is sent to /login/mfa (no token in the URL), a wrong code re-renders, the right one completes the authorization", async () => {
    const { clock, fetcher } = clockedFetcher();
    const tenant = await createTenant();
    const w: World = { tenant, clock, send: (path, options) => fetcher(requestFor(path, options)) };
    const { email, tokens } = await signUp(tenant);
    const { enrollment } = await enrolTotp(w, tokens.access_token);
    const client = await registerClient(tenant, { firstParty: true });
    const browser = new Browser(fetcher);
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge: (await pkce()).challenge })));
    const toMfa = locationOf(await signInOnPage(browser, login, email));
    expect(toMfa.pathname).toBe(`${loginPath(tenant)}/mfa`);
    expect(toMfa.search).toBe("");
    expect([...browser.cookies.keys()]).toContain(`__Host-plinto-mfa-${tenant.id}`);

    const { fields, page } = await formOf(browser, toMfa.pathname);
    expect(page).toContain('autocomplete="one-time-code"');
    expect(page).toContain(`${loginPath(tenant)}/mfa?method=recovery`);
    const wrong = await browser.post(toMfa.pathname, { ...fields, code: "000000" === codeAt(enrollment.secret, clock.now()) ? "111111" : "000000" });
    expect(wrong.status).toBe(401);
    clock.advance(STEP_MS);
    const done = await browser.post(toMfa.pathname, { ...fields, code: codeAt(enrollment.secret, clock.now()) });
    expect(done.status).toBe(303);
    expect(browser.cookies.has(`__Host-plinto-mfa-${tenant.id}`)).toBe(false);
    const target = await followToClient(browser, done);
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get("code")).toBeTruthy();
  });

  it("without a pending challenge the page says to sign in again", async () => {
    const tenant = await createTenant();
    const response = await new Browser(workerFetch).get(`${loginPath(tenant)}/mfa`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Sign in again");
  });
});

describe("passkey page", () => {
  it("is the one page with script: nonce'd script-src, and request options in the form", async () => {
    const tenant = await createTenant();
    const response = await new Browser(workerFetch).get(`${loginPath(tenant)}/passkey`);
    expect(response.status).toBe(200);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([\w-]+)'/.exec(csp)?.[1];
    const page = await response.text();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toMatch(/data-options="\{&quot;(rpId|challenge)&quot;/);
    expect(page).toContain("<noscript>");
  });

  it("signs in with the credential the script posts (usernameless, amr hwk+user, no MFA)", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    await registerPasskey(tenant, tokens, authenticator);
    const browser = new Browser(workerFetch);
    const { page, fields } = await formOf(browser, `${loginPath(tenant)}/passkey`);
    const optionsJson = (/data-options="([^"]+)"/.exec(page)?.[1] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    const credential = await authenticator.get(JSON.parse(optionsJson) as RequestOptionsBody);
    const response = await browser.post(`${loginPath(tenant)}/passkey`, { ...fields, response: JSON.stringify(credential) });
    expect(response.status).toBe(303);
    expect(await (await browser.get(loginPath(tenant))).text()).toContain(email);

    const replay = await browser.post(`${loginPath(tenant)}/passkey`, { ...fields, response: JSON.stringify(credential) });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('role="alert"');
  });
});

describe("logout and RP-Initiated Logout", () => {
  it("GET /logout asks; the POST signs out (cookie cleared, session revoked: the old cookie no longer works)", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const browser = await signedInBrowser(tenant, email);
    const oldCookie = browser.cookies.get(`__Host-plinto-${tenant.id}`) ?? "";
    const { fields, page } = await formOf(browser, `/t/${tenant.slug}/logout`);
    expect(page).toContain(email);
    const response = await browser.post(`/t/${tenant.slug}/logout`, fields);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("You are signed out");
    expect(browser.cookies.has(`__Host-plinto-${tenant.id}`)).toBe(false);
    browser.cookies.set(`__Host-plinto-${tenant.id}`, oldCookie);
    expect(await isSignedIn(browser, tenant)).toBe(false);
  });

  it("end_session with a registered post_logout_redirect_uri confirms, then redirects with state; an unregistered one is not redirected to", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { email } = await signUp(tenant);
    const browser = await signedInBrowser(tenant, email);
    const bad = await browser.get(`/t/${tenant.slug}/oauth/end_session?client_id=${client.id}&post_logout_redirect_uri=${encodeURIComponent("https://evil.example/")}`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("Location")).toBeNull();

    const query = new URLSearchParams({ client_id: client.id, post_logout_redirect_uri: "https://rp.example/signed-out", state: "bye" });
    const confirm = await formOf(browser, `/t/${tenant.slug}/oauth/end_session?${query}`);
    const done = locationOf(await browser.post(`/t/${tenant.slug}/logout`, confirm.fields));
    expect(done.toString()).toBe("https://rp.example/signed-out?state=bye");
    expect(await isSignedIn(browser, tenant)).toBe(false);
  });

  it("end_session with the user's id_token_hint signs out at once and revokes the grants made from the login session", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant, { firstParty: true });
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge, verifier } = await pkce();
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, scope: "openid offline_access" })));
    const code = (await followToClient(browser, await signInOnPage(browser, login, email))).searchParams.get("code") ?? "";
    const token = (form: Record<string, string>) => tokenRequest(tenant, form);
    const tokens = await json<{ id_token: string; refresh_token: string }>(
      await token({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: client.id, code_verifier: verifier }),
    );
    expect(tokens.refresh_token).toBeTruthy();

    const query = new URLSearchParams({ id_token_hint: tokens.id_token, post_logout_redirect_uri: "https://rp.example/signed-out", state: "s1" });
    const done = locationOf(await browser.get(`/t/${tenant.slug}/oauth/end_session?${query}`));
    expect(done.toString()).toBe("https://rp.example/signed-out?state=s1");
    expect(await isSignedIn(browser, tenant)).toBe(false);
    const refreshed = await token({ grant_type: "refresh_token", refresh_token: tokens.refresh_token, client_id: client.id });
    expect(refreshed.status).toBe(400);
    expect((await json<{ error: string }>(refreshed)).error).toBe("invalid_grant");
  });

  it("a forged id_token_hint is refused on the error page", async () => {
    const tenant = await createTenant();
    const forged = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ4IiwiYXVkIjoieSJ9.c2ln";
    const response = await new Browser(workerFetch).get(`/t/${tenant.slug}/oauth/end_session?id_token_hint=${forged}`);
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });
});

it("ORIGIN is what the CSRF check expects", () => expect(ORIGIN).toBe("http://localhost"));
