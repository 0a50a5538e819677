// Hosted login in a real browser: Chromium (playwright-core, Debian's /usr/bin/chromium) on the local
// stack at http://localhost:<port> drives sign-up -> /oauth/authorize -> consent -> the client's
// redirect_uri with a code, using the keyboard only, and checks labels and focus order. It also shows
// that Chromium keeps the `__Host-` login cookie on http://localhost (a secure context for cookies).
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import { after, test } from "node:test";
import { freePort, useStack } from "./stack-fixture.mjs";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (the browser e2e tests need Debian's chromium package)`;

const stack = skip ? null : useStack({ slug: "hosted" });

let rpServer;
let browser;
const callbacks = [];

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (rpServer ? rpServer.close(resolve) : resolve()));
});

/** The relying party: a page at /callback that records what it was sent. */
async function startRelyingParty() {
  const port = await freePort();
  rpServer = createServer((request, response) => {
    const url = new URL(request.url, `http://localhost:${port}`);
    if (url.pathname === "/callback") callbacks.push(url);
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><meta charset=utf-8><title>RP</title><p>signed in</p>");
  });
  await new Promise((resolve) => rpServer.listen(port, "localhost", resolve));
  return `http://localhost:${port}/callback`;
}

async function admin(pathname, body) {
  const response = await fetch(`${stack.url}/t/${stack.demo.slug}/api/v1/admin${pathname}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${stack.demo.secretKey}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 201, text);
  return JSON.parse(text);
}

/** The element that has focus: its tag, id/name and text, and whether a focus outline is drawn. */
const focused = (page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    const style = element ? getComputedStyle(element) : null;
    return {
      tag: element?.tagName.toLowerCase() ?? "",
      id: element?.id ?? "",
      text: element?.textContent?.trim() ?? "",
      outline: style ? style.outlineStyle : "",
    };
  });

/** Presses Tab until the focused element matches, at most `limit` times; returns the path taken. */
async function tabTo(page, matches, limit = 12) {
  const path = [];
  for (let step = 0; step < limit; step++) {
    await page.keyboard.press("Tab");
    const current = await focused(page);
    path.push(current.id || current.text);
    if (matches(current)) return { current, path };
  }
  assert.fail(`Tab never reached the element; path: ${path.join(" -> ")}`);
}

test("sign up, authorize, consent and return to the client with a code, keyboard only", { skip }, async () => {
  const redirectUri = await startRelyingParty();
  const client = await admin("/oauth/clients", {
    name: "Keyboard RP",
    type: "public",
    token_endpoint_auth_method: "none",
    redirect_uris: [redirectUri],
    grant_types: ["authorization_code"],
    allowed_scopes: ["openid", "email", "profile"],
  });
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const issuer = `${stack.url}/t/${stack.demo.slug}`;
  const authorize = `${issuer}/oauth/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: "openid email",
    state: "browser-state",
    nonce: "browser-nonce",
    code_challenge: challenge,
    code_challenge_method: "S256",
  })}`;

  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
  const context = await browser.newContext();
  const page = await context.newPage();

  // Sign-in page: labelled inputs, and Tab goes email -> password -> submit, each with a visible focus outline.
  await page.goto(authorize);
  assert.match(new URL(page.url()).pathname, /\/login$/);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.getByLabel("Email address").count(), 1);
  assert.equal(await page.getByLabel("Password").count(), 1);
  const order = [];
  for (let step = 0; step < 3; step++) {
    await page.keyboard.press("Tab");
    const current = await focused(page);
    order.push(current.id || current.text);
    assert.equal(current.outline, "solid", `focus is visible on ${current.id || current.text}`);
  }
  assert.deepEqual(order, ["email", "password", "Sign in"]);

  // To sign-up by keyboard: Tab to the link, Enter.
  await tabTo(page, (element) => element.text === "Create an account");
  await Promise.all([page.waitForURL(/\/login\/sign-up/), page.keyboard.press("Enter")]);
  assert.equal(await page.getByLabel("Email address").count(), 1);
  assert.equal(await page.getByLabel("Password").count(), 1);
  await tabTo(page, (element) => element.id === "email");
  await page.keyboard.type("browser-user@example.com");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Browser User");
  await page.keyboard.press("Tab");
  await page.keyboard.type("a long and uncommon passphrase");
  await Promise.all([page.waitForURL(/\/login\/consent/), page.keyboard.press("Enter")]);

  // Chromium kept the __Host- login cookie on http://localhost.
  const cookies = await context.cookies(stack.url);
  const login = cookies.find((cookie) => cookie.name.startsWith("__Host-plinto-ten_"));
  assert.ok(login, `login cookie kept; got ${cookies.map((cookie) => cookie.name).join(", ")}`);
  assert.equal(login.secure, true);
  assert.equal(login.httpOnly, true);
  assert.equal(login.sameSite, "Lax");

  // Consent: the client and what it asks for, then Allow by keyboard.
  assert.match(await page.textContent("main"), /Keyboard RP/);
  assert.match(await page.textContent("main"), /See your email address/);
  await tabTo(page, (element) => element.text === "Allow");
  await Promise.all([page.waitForURL((url) => url.toString().startsWith(redirectUri)), page.keyboard.press("Enter")]);

  const returned = callbacks.at(-1);
  assert.equal(returned.searchParams.get("state"), "browser-state");
  assert.equal(returned.searchParams.get("iss"), issuer);
  const code = returned.searchParams.get("code");
  assert.ok(code);

  const token = await fetch(`${issuer}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri, client_id: client.client_id, code_verifier: verifier }),
  });
  const tokens = await token.json();
  assert.equal(token.status, 200, JSON.stringify(tokens));
  const claims = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString("utf8"));
  assert.equal(claims.nonce, "browser-nonce");
  assert.equal(claims.email, "browser-user@example.com");

  // A second authorization needs no page at all: signed in, consent remembered.
  await page.goto(authorize.replace("browser-state", "second-state"));
  await page.waitForURL((url) => url.toString().startsWith(redirectUri));
  assert.equal(callbacks.at(-1).searchParams.get("state"), "second-state");
});
