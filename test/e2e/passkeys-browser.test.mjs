// Passkeys in a real browser: Chromium with a CDP virtual authenticator (WebAuthn Level 3, ctap2,
// internal transport, resident keys, user verification) against the local stack. A page on
// http://localhost:<port> (127.0.0.1 is not a valid WebAuthn origin; localhost is a secure context)
// registers a passkey for a signed-up user, then signs in usernameless with it.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { after, test } from "node:test";
import { callApi, freePort, useStack } from "./stack-fixture.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (the browser e2e tests need Debian's chromium package)`;

const stack = skip ? null : useStack({ slug: "passkeys" });
const api = (pathname, options) => callApi(stack, pathname, options);

let pageServer;
let pageOrigin;
let browser;
let page;
let cdp;
let authenticatorId;

/** The page server, the tenant's settings for it, and Chromium with a virtual authenticator (after the stack is up). */
async function openBrowser() {
  const port = await freePort();
  pageOrigin = `http://localhost:${port}`;
  pageServer = createServer((_request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><meta charset=utf-8><title>Plinto passkeys</title><p>passkeys e2e</p>");
  });
  await new Promise((resolve) => pageServer.listen(port, "localhost", resolve));

  // The tenant accepts the page: CORS (allowed_origins) and WebAuthn (rp_id, origins).
  const settings = await fetch(`${stack.url}/t/${stack.demo.slug}/api/v1/admin/settings`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${stack.demo.secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ allowed_origins: [pageOrigin], passkeys: { rp_id: "localhost", origins: [pageOrigin] } }),
  });
  assert.equal(settings.status, 200, await settings.text());

  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  const context = await browser.newContext();
  page = await context.newPage();
  await page.goto(pageOrigin);
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
}

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (pageServer ? pageServer.close(resolve) : resolve()));
});

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

/** In the page: usernameless sign-in with navigator.credentials.get() (empty allowCredentials). */
const signInInPage = ({ base }) =>
  (async () => {
    const options = await (await fetch(`${base}/passkeys/authentication/options`, { method: "POST" })).json();
    const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
    const response = await fetch(`${base}/sessions/passkey`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ response: credential.toJSON() }),
    });
    return { status: response.status, body: await response.json(), options };
  })();

const claimsOf = (token) => JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));

test("register a passkey in Chromium, sign out, sign in usernameless with it", { skip }, async () => {
  await openBrowser();
  const base = `${stack.url}/t/${stack.demo.slug}/api/v1`;
  const signUp = await api("/identities", { body: { email: "passkey-browser@example.com", password: "a long and uncommon passphrase" } });
  assert.equal(signUp.status, 201);
  const { access_token: token, session_id: sessionId, user } = signUp.body;

  const registered = await page.evaluate(registerInPage, { base, token });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  assert.equal(registered.options.rp.id, "localhost");
  assert.equal(registered.options.authenticatorSelection.residentKey, "required");
  assert.equal(registered.body.name, "Chromium virtual authenticator");
  assert.deepEqual(registered.body.transports, ["internal"]);
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(credentials.length, 1);
  assert.equal(credentials[0].isResidentCredential, true, "a discoverable credential");
  assert.equal(Buffer.from(credentials[0].credentialId, "base64").toString("base64url"), registered.body.credential_id);

  assert.equal((await api(`/sessions/${sessionId}`, { method: "DELETE", token })).status, 204);
  assert.equal((await api("/me", { token })).status, 401, "signed out");

  for (const attempt of [1, 2]) {
    const signedIn = await page.evaluate(signInInPage, { base });
    assert.equal(signedIn.status, 200, `sign-in ${attempt}: ${JSON.stringify(signedIn.body)}`);
    assert.deepEqual(signedIn.options.allowCredentials, []);
    assert.equal(signedIn.body.user.id, user.id);
    assert.deepEqual(claimsOf(signedIn.body.access_token).amr, ["hwk", "user"]);
    const me = await api("/me", { token: signedIn.body.access_token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, "passkey-browser@example.com");
  }

  const { credentials: used } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  assert.equal(used[0].signCount, credentials[0].signCount + 2, "the authenticator counted both assertions");

  const listed = await api("/me/passkeys", { token: (await page.evaluate(signInInPage, { base })).body.access_token });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.data.length, 1);
  assert.notEqual(listed.body.data[0].last_used_at, null);

  // The same ceremony from an origin the tenant no longer lists is refused (WebAuthn §7.2: clientDataJSON.origin).
  const moved = await fetch(`${base}/admin/settings`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${stack.demo.secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ passkeys: { origins: ["https://app.example.com"] } }),
  });
  assert.equal(moved.status, 200);
  const refused = await page.evaluate(signInInPage, { base });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.code, "webauthn_verification_failed");
});
