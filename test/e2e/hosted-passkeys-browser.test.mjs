// The hosted login's passkey pages in a real browser: Chromium (playwright-core, Debian's
// /usr/bin/chromium) with a CDP virtual authenticator (ctap2, internal transport, resident keys, user
// verification) on the local stack at http://localhost:<port>. The tenant keeps its default relying
// party (rp.id = the API's host, localhost; origins = its allowed_origins, which list the API origin),
// so the hosted pages' own ceremonies verify. A user signs up with a password and registers a passkey
// (their only second factor) through the API; then an OAuth authorization request (PKCE S256) goes
// through /login (password) -> /login/mfa ("Use a passkey") -> the client's redirect_uri with a code,
// and a second one through /login/passkey (usernameless) -> the redirect_uri, where a small server
// records what the client was sent (Playwright's router would see only the first request of a redirect
// chain, not the 303 to the client).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { callApi, freePort, useStack } from "./stack-fixture.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (the browser e2e tests need Debian's chromium package)`;

const EMAIL = "hosted-passkey@example.com";
const PASSWORD = "a long and uncommon passphrase";

const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

/** In the page: fetch creation options, navigator.credentials.create(), post the credential back. */
const registerInPage = ({ base, token }) =>
  (async () => {
    const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const options = await (await fetch(`${base}/me/passkeys/registration/options`, { method: "POST", headers })).json();
    const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) });
    const response = await fetch(`${base}/me/passkeys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ response: credential.toJSON(), name: "Chromium virtual authenticator" }),
    });
    return { status: response.status, body: await response.json(), options };
  })();

describe("hosted login passkey pages in Chromium", { skip }, () => {
  const stack = skip ? null : useStack({ slug: "hosted-passkeys" });
  const api = (pathname, options) => callApi(stack, pathname, options);

  let rpServer;
  let browser;
  let context;
  let page;
  let cdp;
  let authenticatorId;
  let issuer;
  let redirectUri;
  let client;
  let user;
  let credentialId;
  const callbacks = [];

  before(async () => {
    issuer = `${stack.url}/t/${stack.demo.slug}`;
    const rpPort = await freePort();
    redirectUri = `http://localhost:${rpPort}/callback`;
    rpServer = createServer((incoming, response) => {
      const url = new URL(incoming.url, `http://localhost:${rpPort}`);
      if (url.pathname === "/callback") callbacks.push(url);
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      response.end("<!doctype html><meta charset=utf-8><title>RP</title><p>signed in</p>");
    });
    await new Promise((resolve) => rpServer.listen(rpPort, "localhost", resolve));

    const created = await fetch(`${issuer}/api/v1/admin/oauth/clients`, {
      method: "POST",
      headers: { Authorization: `Bearer ${stack.demo.secretKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        name: "Passkey RP",
        type: "public",
        token_endpoint_auth_method: "none",
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        allowed_scopes: ["openid", "email", "profile"],
      }),
    });
    const text = await created.text();
    assert.equal(created.status, 201, text);
    client = JSON.parse(text);

    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    context = await browser.newContext();
    // A blank page on the API origin (no CSP: the API's own responses allow no fetch) to register from.
    await context.route(`${stack.url}/e2e-blank`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: "<!doctype html><meta charset=utf-8><title>blank</title><p>blank</p>" }),
    );
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    ({ authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    }));

    // A user with a password and one passkey, nothing else: the passkey is their only second factor.
    const signUp = await api("/identities", { body: { email: EMAIL, password: PASSWORD } });
    assert.equal(signUp.status, 201, JSON.stringify(signUp.body));
    user = signUp.body.user;
    await page.goto(`${stack.url}/e2e-blank`);
    const registered = await page.evaluate(registerInPage, { base: `${issuer}/api/v1`, token: signUp.body.access_token });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    assert.equal(registered.options.rp.id, "localhost");
    credentialId = registered.body.credential_id;
    const mfa = await api("/me/mfa", { token: signUp.body.access_token });
    assert.equal(mfa.status, 200, JSON.stringify(mfa.body));
    assert.equal(mfa.body.totp.status, "none");
    assert.equal(mfa.body.passkeys, 1);
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => (rpServer ? rpServer.close(resolve) : resolve()));
  });

  /** A fresh authorization request (PKCE S256): `{ url, verifier, state, nonce }`. */
  function authorization(label) {
    const verifier = randomBytes(32).toString("base64url");
    const state = `${label}-state`;
    const nonce = `${label}-nonce`;
    const url = `${issuer}/oauth/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: "openid email",
      state,
      nonce,
      code_challenge: createHash("sha256").update(verifier).digest("base64url"),
      code_challenge_method: "S256",
    })}`;
    return { url, verifier, state, nonce };
  }

  /**
   * After the sign-in: approves the consent page when `consent` says it is due (the first request of
   * this user for this client), then the browser is at the redirect_uri; the code is exchanged with the
   * PKCE verifier and the ID token's claims returned.
   */
  async function toClient(request, { consent }) {
    const atClient = (url) => url.toString().startsWith(redirectUri);
    await page.waitForURL((url) => atClient(url) || url.pathname.endsWith("/login/consent"));
    assert.equal(!atClient(new URL(page.url())), consent, `consent page ${consent ? "shown" : "skipped"}; at ${page.url()}`);
    if (consent) {
      assert.match(await page.textContent("main"), /Passkey RP/);
      await Promise.all([page.waitForURL(atClient), page.getByRole("button", { name: "Allow" }).click()]);
    }
    const returned = callbacks.at(-1);
    assert.ok(returned, "the client's redirect_uri was requested");
    assert.equal(returned.searchParams.get("state"), request.state);
    assert.equal(returned.searchParams.get("iss"), issuer);
    assert.equal(returned.searchParams.get("error"), null, returned.searchParams.get("error_description") ?? "");
    const code = returned.searchParams.get("code");
    assert.ok(code, "a code");

    const response = await fetch(`${issuer}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: client.client_id, code_verifier: request.verifier }),
    });
    const tokens = await response.json();
    assert.equal(response.status, 200, JSON.stringify(tokens));
    const claims = claimsOf(tokens.id_token);
    assert.equal(claims.nonce, request.nonce);
    assert.equal(claims.sub, user.id);
    assert.equal(claims.email, EMAIL);
    return claims;
  }

  test("password on /login, then \"Use a passkey\" on /login/mfa, ends at the redirect_uri with a code", async () => {
    const request = authorization("mfa");
    const { credentials: previous } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });

    await page.goto(request.url);
    assert.match(new URL(page.url()).pathname, /\/login$/);
    await page.getByLabel("Email address").fill(EMAIL);
    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([page.waitForURL(/\/login\/mfa/), page.getByRole("button", { name: "Sign in" }).click()]);

    // No TOTP: the passkey way comes first, its options bound to the challenge (the user's passkey only).
    const form = page.locator("#passkey-form");
    assert.equal(await form.count(), 1, (await page.content()).slice(0, 3000));
    const options = JSON.parse(await form.getAttribute("data-options"));
    assert.deepEqual(
      options.allowCredentials.map((credential) => credential.id),
      [credentialId],
    );
    const cookies = await context.cookies(stack.url);
    assert.ok(
      cookies.some((cookie) => cookie.name.startsWith("__Host-plinto-mfa-")),
      `pending-MFA cookie kept; got ${cookies.map((cookie) => cookie.name).join(", ")}`,
    );

    await page.getByRole("button", { name: "Use a passkey" }).click();
    const claims = await toClient(request, { consent: true });
    for (const method of ["pwd", "hwk", "mfa"]) assert.ok(claims.amr?.includes(method), `amr ${JSON.stringify(claims.amr)} has ${method}`);

    const { credentials: afterwards } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(afterwards[0].signCount, previous[0].signCount + 1, "the authenticator made one assertion");
    const left = await context.cookies(stack.url);
    assert.ok(!left.some((cookie) => cookie.name.startsWith("__Host-plinto-mfa-")), "the pending-MFA cookie is gone");
  });

  test("usernameless on /login/passkey ends at the redirect_uri with a code", async () => {
    // Signed out of the hosted login: a new browser session in the same context (same authenticator).
    await context.clearCookies();
    const request = authorization("usernameless");
    const { credentials: previous } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });

    await page.goto(request.url);
    assert.match(new URL(page.url()).pathname, /\/login$/);
    await Promise.all([page.waitForURL(/\/login\/passkey/), page.getByRole("link", { name: "Sign in with a passkey" }).click()]);
    const options = JSON.parse(await page.locator("#passkey-form").getAttribute("data-options"));
    assert.deepEqual(options.allowCredentials ?? [], [], "usernameless: no credentials listed");

    await page.getByRole("button", { name: "Use a passkey" }).click();
    // With user verification a passkey is both factors (no MFA page); consent was remembered by the first test.
    const claims = await toClient(request, { consent: false });
    for (const method of ["hwk", "user"]) assert.ok(claims.amr?.includes(method), `amr ${JSON.stringify(claims.amr)} has ${method}`);
    assert.ok(!claims.amr.includes("pwd"));

    const { credentials: afterwards } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(afterwards[0].signCount, previous[0].signCount + 1, "the authenticator made one assertion");
  });
});
