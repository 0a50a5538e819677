import { describe, expect, it } from "vitest";
import { call, createTenant, ORIGIN, requestFor, signUp, type TestTenant } from "./helpers";
import { authorizeUrl, Browser, clockedFetcher, followToClient, formOf, locationOf, pkce, REDIRECT_URI, registerClient, signInOnPage, workerFetch } from "./hosted-login-helpers";
import { enrolTotp, type World } from "./mfa-helpers";
import { registerPasskey, type RequestOptionsBody } from "./passkey-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

const loginPath = (tenant: TestTenant) => `/t/${tenant.slug}/login`;

/** The request options the passkey form of a page carries in data-options. */
function optionsIn(page: string): RequestOptionsBody {
  const json = (/data-options="([^"]+)"/.exec(page)?.[1] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
  return JSON.parse(json) as RequestOptionsBody;
}

/** A user whose only second factor is a passkey, signed in with the password on /login for an authorization request. */
async function atMfaPage(settings: Record<string, unknown> | null = null) {
  const tenant = await createTenant();
  if (settings) expect((await call(`${tenant.base}/admin/settings`, { method: "PATCH", token: tenant.secretKey, body: settings })).status).toBe(200);
  const { email, tokens } = await signUp(tenant);
  const authenticator = new SoftAuthenticator({ origin: ORIGIN });
  const passkey = await registerPasskey(tenant, tokens, authenticator);
  const client = await registerClient(tenant, { firstParty: true });
  const browser = new Browser(workerFetch);
  const login = locationOf(await browser.get(authorizeUrl(tenant, { client, challenge: (await pkce()).challenge })));
  const toMfa = locationOf(await signInOnPage(browser, login, email));
  expect(toMfa.pathname).toBe(`${loginPath(tenant)}/mfa`);
  expect(toMfa.search).toBe("");
  return { tenant, authenticator, passkey, browser, mfaPath: toMfa.pathname };
}

describe("MFA page: a passkey as the second factor", () => {
  it("offers the passkey (nonce'd script, options for the user's passkey), completes with it and continues the authorization", async () => {
    const { tenant, authenticator, passkey, browser, mfaPath } = await atMfaPage();
    const response = await browser.get(mfaPath);
    expect(response.status).toBe(200);
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    const nonce = /script-src 'nonce-([\w-]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const page = await response.text();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toContain(`action="${ORIGIN}${mfaPath}/passkey"`);
    expect(page).toContain("Use a passkey");
    expect(page).toContain(`${mfaPath}?method=recovery`);
    expect(page).not.toContain("method=totp");
    expect(page).toContain("<noscript>");
    expect(page).not.toContain("mfa_token");
    const options = optionsIn(page);
    expect(options.allowCredentials.map((credential) => credential.id)).toEqual([passkey.credential_id]);

    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? "";
    const done = await browser.post(`${mfaPath}/passkey`, { csrf_token: csrf, response: JSON.stringify(await authenticator.get(options)) });
    expect(done.status).toBe(303);
    expect(browser.cookies.has(`__Host-plinto-mfa-${tenant.id}`)).toBe(false);
    const target = await followToClient(browser, done);
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get("code")).toBeTruthy();
  });

  it("refuses a wrong or replayed assertion and stays on the page; a used challenge cannot be answered again", async () => {
    // Each refused answer costs two attempts of the challenge (the answer, then the fresh options of the page).
    const { tenant, authenticator, browser, mfaPath } = await atMfaPage({ rate_limits: { code_attempts: 10 } });
    const first = await formOf(browser, mfaPath);
    const firstOptions = optionsIn(first.page);

    const wrongOrigin = await browser.post(`${mfaPath}/passkey`, {
      ...first.fields,
      response: JSON.stringify(await authenticator.get(firstOptions, { origin: "https://evil.example" })),
    });
    expect(wrongOrigin.status).toBe(400);
    const retry = await wrongOrigin.text();
    expect(retry).toContain('role="alert"');
    expect(retry).toContain("That passkey could not be used here");
    expect(browser.cookies.has(`__Host-plinto-mfa-${tenant.id}`)).toBe(true);

    // The first options' challenge went with the refused answer: a right signature over it is a replay.
    const replayed = await browser.post(`${mfaPath}/passkey`, { ...first.fields, response: JSON.stringify(await authenticator.get(firstOptions)) });
    expect(replayed.status).toBe(400);
    const again = await replayed.text();
    expect(again).toContain("That passkey could not be used here");

    const pendingCookie = browser.cookies.get(`__Host-plinto-mfa-${tenant.id}`) ?? "";
    const credential = JSON.stringify(await authenticator.get(optionsIn(again)));
    const done = await browser.post(`${mfaPath}/passkey`, { ...first.fields, response: credential });
    expect(done.status).toBe(303);

    // The same answer with the old pending cookie put back: the challenge is used, the sign-in must start again.
    browser.cookies.set(`__Host-plinto-mfa-${tenant.id}`, pendingCookie);
    const replay = await browser.post(`${mfaPath}/passkey`, { ...first.fields, response: credential });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain("Sign in again");
  });

  it("without a pending challenge the passkey post says to sign in again; a garbled answer stays on the page", async () => {
    const tenant = await createTenant();
    const stranger = new Browser(workerFetch);
    const { fields } = await formOf(stranger, loginPath(tenant));
    const none = await stranger.post(`${loginPath(tenant)}/mfa/passkey`, { csrf_token: fields.csrf_token ?? "", response: "{}" });
    expect(none.status).toBe(401);

    const { browser, mfaPath } = await atMfaPage();
    const { fields: mfaFields } = await formOf(browser, mfaPath);
    const garbled = await browser.post(`${mfaPath}/passkey`, { ...mfaFields, response: "not json" });
    expect(garbled.status).toBe(400);
    expect(await garbled.text()).toContain("The passkey answer was missing");
  });

  it("with the default code_attempts (5), a second refused assertion spends the challenge: even the right answer then starts over", async () => {
    const { tenant, authenticator, browser, mfaPath } = await atMfaPage();
    let page = (await formOf(browser, mfaPath)).page;
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1] ?? "";
    for (let refusal = 0; refusal < 2; refusal++) {
      const wrong = await authenticator.get(optionsIn(page), { origin: "https://evil.example" });
      const response = await browser.post(`${mfaPath}/passkey`, { csrf_token: csrf, response: JSON.stringify(wrong) });
      expect(response.status).toBe(400);
      page = await response.text();
    }
    const right = await browser.post(`${mfaPath}/passkey`, { csrf_token: csrf, response: JSON.stringify(await authenticator.get(optionsIn(page))) });
    expect(right.status).toBe(429);
    expect(browser.cookies.has(`__Host-plinto-mfa-${tenant.id}`)).toBe(false);
  });

  it("a user with TOTP and a passkey gets the code form first, with a link to the passkey way", async () => {
    const { clock, fetcher } = clockedFetcher();
    const tenant = await createTenant();
    const w: World = { tenant, clock, send: (path, options) => fetcher(requestFor(path, options)) };
    const { email, tokens } = await signUp(tenant);
    await enrolTotp(w, tokens.access_token);
    await registerPasskey(tenant, tokens, new SoftAuthenticator({ origin: ORIGIN }));
    const browser = new Browser(fetcher);
    const toMfa = locationOf(await signInOnPage(browser, new URL(loginPath(tenant), ORIGIN), email));
    const codePage = await (await browser.get(toMfa.pathname)).text();
    expect(codePage).toContain('autocomplete="one-time-code"');
    expect(codePage).toContain(`${toMfa.pathname}?method=passkey`);
    expect(codePage).not.toContain("<script");
    const passkeyPage = await (await browser.get(`${toMfa.pathname}?method=passkey`)).text();
    expect(passkeyPage).toContain('id="passkey-form"');
    expect(passkeyPage).toContain(`${toMfa.pathname}?method=totp`);
  });
});
