// Shared by the relying-party suites: tenants, users and OAuth clients made through the operator and
// management APIs of the running stack, an openid-client Configuration for a client, a hosted-login
// session driven over HTTP, and the OAuth error a failed openid-client call carried.
import assert from "node:assert/strict";
import * as client from "openid-client";
import { formsOf } from "./http-browser.mjs";

export const PASSWORD = "a long and uncommon passphrase";

/** A tenant of its own for a suite, created with the operator key: `{ slug, issuer, secretKey }`. */
export async function createTenant(stack, slug) {
  const response = await fetch(`${stack.url}/api/v1/operator/tenants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${stack.operatorKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ slug, name: `Tenant ${slug}`, allowed_origins: [stack.url] }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const body = await response.json();
  return { slug, issuer: body.tenant.issuer, secretKey: body.secret_key.secret };
}

/** A management API call with the tenant's secret key: `{ status, body }`. */
export async function admin(stack, tenant, pathname, { method, body } = {}) {
  const response = await fetch(`${stack.url}/t/${tenant.slug}/api/v1/admin${pathname}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { Authorization: `Bearer ${tenant.secretKey}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** A user with a verified email and a password, created through the admin API. */
export async function createUser(stack, tenant, email) {
  const created = await admin(stack, tenant, "/users", { body: { email, password: PASSWORD, name: "Ada Lovelace", email_verified: true } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { id: created.body.id, email, password: PASSWORD };
}

/** An OAuth client through the admin API (the response carries the secret once). */
export async function createClient(stack, tenant, metadata) {
  const created = await admin(stack, tenant, "/oauth/clients", { body: metadata });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body;
}

/**
 * openid-client's Configuration from the tenant's discovery document; the stack is plain http. ID tokens
 * from the token endpoint are also checked against the JWKS (openid-client skips that by default, as
 * OIDC Core §3.1.3.7 step 6 allows over TLS).
 */
export function relyingParty(tenant, clientId, metadata, clientAuth) {
  return client.discovery(new URL(tenant.issuer), clientId, metadata, clientAuth, {
    execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
  });
}

/** The `{ status, error, description, wwwAuthenticate }` an openid-client call failed with (RFC 6749 §5.2). */
export async function oauthErrorOf(promise) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof client.ResponseBodyError) {
      return { status: error.status, error: error.error, description: error.error_description, wwwAuthenticate: error.response.headers.get("www-authenticate") };
    }
    if (error instanceof client.WWWAuthenticateChallengeError) {
      // A 401 with a challenge (invalid_client after Basic, RFC 6749 §5.2); the body still holds the error.
      const body = await error.response.json();
      return { status: error.status, error: body.error, description: body.error_description, wwwAuthenticate: error.response.headers.get("www-authenticate") };
    }
    throw error;
  }
  assert.fail("the call succeeded");
}

const APPROVE = /^(allow|approve|accept|consent|yes|continue|confirm)$/i;

/** The submit button that approves (consent, device, logout), by name/value or label. */
export function approveButton(form) {
  const button = form.buttons.find((b) => APPROVE.test(b.value ?? "") || APPROVE.test(b.label));
  if (!button) throw new Error(`no approving button among ${JSON.stringify(form.buttons)}`);
  return button;
}

/**
 * Drives the hosted pages from `page` until the browser is sent to the client (`browser.stopAt`):
 * the sign-in form gets the user's email and password, a consent form is approved. Returns the
 * redirect URI the provider sent the browser to, with its query.
 */
export async function completeHostedLogin(browser, page, user) {
  for (let step = 0; step < 6; step += 1) {
    if (page.location && browser.stopAt(page.location)) return new URL(page.location);
    const forms = formsOf(page.html);
    const signIn = forms.find((f) => f.inputs.some((input) => input.name === "password"));
    if (signIn) {
      page = await browser.submit(page, signIn, { email: user.email, password: user.password });
      continue;
    }
    const consent = forms.find((f) => f.buttons.some((b) => APPROVE.test(b.value ?? "") || APPROVE.test(b.label)));
    if (consent) {
      page = await browser.submit(page, consent, {}, approveButton(consent));
      continue;
    }
    break;
  }
  throw new Error(`the hosted login stopped at ${page.url} (status ${page.status}, location ${page.location}):\n${page.html.slice(0, 3000)}`);
}

/** The page's first form with a visible input named `name`. */
const hasInput = (page, name) => formsOf(page.html).find((f) => f.inputs.some((input) => input.name === name && input.type !== "hidden"));

/**
 * On the hosted `/device` page (RFC 8628 §3.3): signs in when asked, enters the user code and
 * clicks the button whose value or label matches `decision` (approve, or e.g. /^deny$/i); returns
 * the page shown after the decision.
 */
export async function decideDevice(browser, verificationUri, userCode, user, decision = APPROVE) {
  let page = await browser.navigate(verificationUri);
  for (let step = 0; step < 6; step += 1) {
    const signIn = hasInput(page, "password");
    const codeEntry = hasInput(page, "user_code");
    const choice = formsOf(page.html).find((f) => f.buttons.some((b) => decision.test(b.value ?? "") || decision.test(b.label)));
    if (signIn) page = await browser.submit(page, signIn, { email: user.email, password: user.password });
    else if (codeEntry) page = await browser.submit(page, codeEntry, { user_code: userCode });
    else if (choice) {
      const button = choice.buttons.find((b) => decision.test(b.value ?? "") || decision.test(b.label));
      return browser.submit(page, choice, {}, button);
    } else break;
  }
  throw new Error(`no device decision form at ${page.url} (status ${page.status}):\n${page.html.slice(0, 3000)}`);
}
