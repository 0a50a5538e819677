import { AUTHORIZE_REQUESTS_PER_MINUTE_PER_IP } from "@plinto/core";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { createTenant, json, signUp, STRONG_PASSWORD, type TestTenant } from "./helpers";
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

const exchange = (tenant: TestTenant, clientId: string, code: string, verifier: string) =>
  tokenRequest(tenant, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, client_id: clientId, code_verifier: verifier });

/** A tenant, a third-party public client, a user, and a browser signed in through a first authorization (consent given). */
async function signedInWithConsent() {
  const tenant = await createTenant();
  const client = await registerClient(tenant);
  const { email } = await signUp(tenant);
  const browser = new Browser(workerFetch);
  const { challenge, verifier } = await pkce();
  const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
  const resume = locationOf(await signInOnPage(browser, login, email));
  const consent = locationOf(await browser.get(resume.pathname + resume.search));
  const consentPage = await formOf(browser, consent.pathname + consent.search);
  const redirect = locationOf(await browser.post(`/t/${tenant.slug}/login/consent`, { ...consentPage.fields, decision: "allow" }));
  return { tenant, client, email, browser, redirect, verifier };
}

describe("GET /oauth/authorize: the code flow through the hosted pages", () => {
  it("signs in, asks consent, and redirects with code, state and iss; the code redeems with the PKCE verifier", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge, verifier } = await pkce();

    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    expect(login.pathname).toBe(`/t/${tenant.slug}/login`);
    const requestId = login.searchParams.get("request");
    expect(requestId).toMatch(/^[\w-]{43}$/);

    const afterSignIn = await signInOnPage(browser, login, email);
    expect(afterSignIn.status).toBe(303);
    expect(locationOf(afterSignIn).pathname).toBe(`/t/${tenant.slug}/login/continue`);
    expect([...browser.cookies.keys()].some((name) => name.startsWith("__Host-plinto-ten"))).toBe(true);

    const toConsent = locationOf(await browser.get(locationOf(afterSignIn).pathname + locationOf(afterSignIn).search));
    expect(toConsent.pathname).toBe(`/t/${tenant.slug}/login/consent`);
    const consent = await formOf(browser, toConsent.pathname + toConsent.search);
    expect(consent.page).toContain("Example RP");
    expect(consent.page).toContain("See your email address");
    expect(consent.page).toContain(email);

    const redirect = locationOf(await browser.post(`/t/${tenant.slug}/login/consent`, { ...consent.fields, decision: "allow" }));
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(redirect.searchParams.get("state")).toBe("state-123");
    expect(redirect.searchParams.get("iss")).toBe(tenant.issuer);
    const code = redirect.searchParams.get("code") ?? "";
    expect(code).toMatch(/^[\w-]{43}$/);

    const tokens = await json<{ id_token: string; access_token: string }>(await exchange(tenant, client.id, code, verifier));
    const idToken = decodeJwt(tokens.id_token);
    expect(idToken.nonce).toBe("nonce-456");
    expect(idToken.aud).toBe(client.id);
    expect(idToken.amr).toEqual(["pwd"]);
  });

  it("remembers consent: the next request for the same scopes gets a code at once; prompt=consent asks again", async () => {
    const { tenant, client, browser } = await signedInWithConsent();
    const { challenge } = await pkce();
    const again = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, state: "second" })));
    expect(`${again.origin}${again.pathname}`).toBe(REDIRECT_URI);
    expect(again.searchParams.get("code")).toBeTruthy();
    expect(again.searchParams.get("state")).toBe("second");

    const asked = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { prompt: "consent" } })));
    expect(asked.pathname).toBe(`/t/${tenant.slug}/login/consent`);
    const wider = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, scope: "openid email profile" })));
    expect(wider.pathname).toBe(`/t/${tenant.slug}/login/consent`);
  });

  it("Deny sends access_denied with state and iss, and the request cannot be resumed", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge } = await pkce();
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    const resume = locationOf(await signInOnPage(browser, login, email));
    const toConsent = locationOf(await browser.get(resume.pathname + resume.search));
    const consent = await formOf(browser, toConsent.pathname + toConsent.search);
    const denied = locationOf(await browser.post(`/t/${tenant.slug}/login/consent`, { ...consent.fields, decision: "deny" }));
    expect(`${denied.origin}${denied.pathname}`).toBe(REDIRECT_URI);
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("state-123");
    expect(denied.searchParams.get("iss")).toBe(tenant.issuer);
    expect((await browser.get(toConsent.pathname + toConsent.search)).status).toBe(400);
  });

  it("first-party clients skip the consent screen", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant, { firstParty: true });
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge } = await pkce();
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    const target = await followToClient(browser, await signInOnPage(browser, login, email));
    expect(target.searchParams.get("code")).toBeTruthy();
  });

  it("POST /oauth/authorize with a form body works like GET", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { challenge } = await pkce();
    const query = new URL(authorizeUrl(tenant, { client, challenge }), "http://localhost").searchParams;
    const browser = new Browser(workerFetch);
    const response = await browser.post(`/t/${tenant.slug}/oauth/authorize`, Object.fromEntries(query), "https://rp.example");
    expect(response.status).toBe(303);
    expect(locationOf(response).pathname).toBe(`/t/${tenant.slug}/login`);
  });
});

describe("prompt and max_age (OIDC Core §3.1.2.1)", () => {
  it("prompt=none: login_required when signed out, consent_required without consent; both with state and iss", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge } = await pkce();
    const silent = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { prompt: "none" } })));
    expect(`${silent.origin}${silent.pathname}`).toBe(REDIRECT_URI);
    expect(silent.searchParams.get("error")).toBe("login_required");
    expect(silent.searchParams.get("state")).toBe("state-123");
    expect(silent.searchParams.get("iss")).toBe(tenant.issuer);

    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    await signInOnPage(browser, login, email);
    const noConsent = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { prompt: "none" } })));
    expect(noConsent.searchParams.get("error")).toBe("consent_required");
  });

  it("prompt=none with consent given returns a code without any page", async () => {
    const { tenant, client, browser } = await signedInWithConsent();
    const { challenge } = await pkce();
    const silent = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { prompt: "none" } })));
    expect(silent.searchParams.get("code")).toBeTruthy();
  });

  it("prompt=login and an exceeded max_age ask for a new sign-in; signing in again then completes", async () => {
    const { clock, fetcher } = clockedFetcher();
    const tenant = await createTenant();
    const client = await registerClient(tenant, { firstParty: true });
    const { email } = await signUp(tenant);
    const browser = new Browser(fetcher);
    const { challenge } = await pkce();
    const first = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    await followToClient(browser, await signInOnPage(browser, first, email));

    const fresh = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { max_age: "60" } })));
    expect(`${fresh.origin}${fresh.pathname}`).toBe(REDIRECT_URI);
    clock.advance(61_000);
    const stale = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { max_age: "60" } })));
    expect(stale.pathname).toBe(`/t/${tenant.slug}/login`);
    const done = await followToClient(browser, await signInOnPage(browser, stale, email));
    expect(done.searchParams.get("code")).toBeTruthy();

    clock.advance(1_000);
    const forced = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge, extra: { prompt: "login" } })));
    expect(forced.pathname).toBe(`/t/${tenant.slug}/login`);
  });
});

describe("invalid authorization requests", () => {
  async function setup() {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { challenge } = await pkce();
    return { tenant, client, challenge, browser: new Browser(workerFetch) };
  }

  it("an unregistered redirect_uri or unknown client is shown on an error page, never redirected (RFC 6749 §4.1.2.1)", async () => {
    const { tenant, client, challenge, browser } = await setup();
    const cases: Record<string, string>[] = [{ redirect_uri: "https://evil.example/callback" }, { redirect_uri: `${REDIRECT_URI}/` }, { client_id: "cli_unknown" }];
    for (const extra of cases) {
      const response = await browser.get(authorizeUrl(tenant, { client, challenge, extra }));
      expect(response.status).toBe(400);
      expect(response.headers.get("Location")).toBeNull();
      expect(response.headers.get("Content-Type")).toContain("text/html");
    }
  });

  it("a client of another tenant is unknown here", async () => {
    const { tenant, challenge, browser } = await setup();
    const other = await registerClient(await createTenant());
    const response = await browser.get(authorizeUrl(tenant, { client: other, challenge }));
    expect(response.status).toBe(400);
    expect(response.headers.get("Location")).toBeNull();
  });

  it.each([
    ["missing PKCE", { code_challenge: "" }, "invalid_request"],
    ["plain PKCE", { code_challenge_method: "plain" }, "invalid_request"],
    ["a malformed challenge", { code_challenge: "short" }, "invalid_request"],
    ["response_type=token", { response_type: "token" }, "unsupported_response_type"],
    ["an unknown scope", { scope: "openid admin:all" }, "invalid_scope"],
    ["a foreign resource", { resource: "https://other.example/api" }, "invalid_target"],
    ["prompt=none with login", { prompt: "none login" }, "invalid_request"],
    ["a repeated parameter", { extra_dup: "" }, "invalid_request"],
    ["a request object (OIDC Core §6.1)", { request: "eyJhbGciOiJub25lIn0.e30." }, "request_not_supported"],
    ["a request_uri (OIDC Core §6.2)", { request_uri: "https://rp.example/request.jwt" }, "request_uri_not_supported"],
  ])("%s is redirected as %s with state and iss", async (_name, extra, error) => {
    const { tenant, client, challenge, browser } = await setup();
    let url = authorizeUrl(tenant, { client, challenge, extra: extra as Record<string, string> });
    if ("extra_dup" in extra) url += "&state=again";
    const target = locationOf(await browser.get(url));
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get("error")).toBe(error);
    expect(target.searchParams.get("error_description")).toBeTruthy();
    expect(target.searchParams.get("iss")).toBe(tenant.issuer);
    expect(target.searchParams.get("code")).toBeNull();
  });

  it("a client without the authorization_code grant gets unauthorized_client", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant, { grantTypes: ["client_credentials"] });
    const { challenge } = await pkce();
    const target = locationOf(await new Browser(workerFetch).get(authorizeUrl(tenant, { client, challenge })));
    expect(target.searchParams.get("error")).toBe("unauthorized_client");
  });

  it("stored requests are bounded per IP: past the limit the client gets temporarily_unavailable with state and iss", async () => {
    const { tenant, client, challenge } = await setup();
    const browser = new Browser(clockedFetcher().fetcher); // time stands still: the bucket does not refill
    for (let n = 0; n < AUTHORIZE_REQUESTS_PER_MINUTE_PER_IP; n++) {
      expect(locationOf(await browser.get(authorizeUrl(tenant, { client, challenge }))).pathname).toBe(`/t/${tenant.slug}/login`);
    }
    const limited = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    expect(`${limited.origin}${limited.pathname}`).toBe(REDIRECT_URI);
    expect(limited.searchParams.get("error")).toBe("temporarily_unavailable");
    expect(limited.searchParams.get("state")).toBe("state-123");
    expect(limited.searchParams.get("iss")).toBe(tenant.issuer);
  });

  it("a password that does not match keeps the user on the sign-in page", async () => {
    const tenant = await createTenant();
    const client = await registerClient(tenant);
    const { email } = await signUp(tenant);
    const browser = new Browser(workerFetch);
    const { challenge } = await pkce();
    const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge })));
    const response = await signInOnPage(browser, login, email, `${STRONG_PASSWORD}x`);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("Email or password is incorrect");
  });
});
