import { describe, expect, it, vi } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { call, json, ORIGIN } from "./helpers";
import { Browser, formOf, locationOf, signInOnPage, workerFetch } from "./hosted-login-helpers";
import { DEVICE_GRANT, pollDevice, startDevice } from "./oauth-device-helpers";
import { expectOAuthError, expectTokens, type OAuthTestTenant, tenantWithClient, verifyWithJwks } from "./oauth-token-helpers";

async function setup() {
  const { tenant, client } = await tenantWithClient({ name: "Living-room TV", grantTypes: [DEVICE_GRANT, "refresh_token"], redirectUris: [] });
  return { tenant, client };
}

/** Opens verification_uri_complete in a fresh browser, signs in where it is sent, and lands back on /device. */
async function signInThroughDevicePage(tenant: OAuthTestTenant, verificationUriComplete: string) {
  const browser = new Browser(workerFetch);
  const first = await browser.get(verificationUriComplete);
  const login = locationOf(first);
  expect(login.pathname).toBe(`/t/${tenant.slug}/login`);
  const returnTo = login.searchParams.get("return_to") ?? "";
  expect(returnTo).toBe(new URL(verificationUriComplete).pathname + new URL(verificationUriComplete).search);
  const signedIn = await signInOnPage(browser, login, tenant.user.email);
  const back = locationOf(signedIn);
  expect(back.toString()).toBe(verificationUriComplete);
  return { browser, confirmUrl: back.pathname + back.search };
}

describe("the /device page (RFC 8628 §3.3) end to end over HTTP", () => {
  it("sign in, see who asks for what, Allow; the polling device gets tokens once", async () => {
    const { tenant, client } = await setup();
    const started = await startDevice(tenant, client, { scope: "openid email offline_access" });
    const { browser, confirmUrl } = await signInThroughDevicePage(tenant, started.verification_uri_complete);
    const { page, fields } = await formOf(browser, confirmUrl);
    expect(page).toContain("Living-room TV");
    expect(page).toContain(started.user_code);
    expect(page).toContain(tenant.user.email);
    expect(fields.user_code).toBe(started.user_code);

    await expectOAuthError(await pollDevice(tenant, client, started.device_code), 400, "authorization_pending");
    const allowed = await browser.post(`/t/${tenant.slug}/device`, { ...fields, decision: "allow" });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("Your device is connected");

    const tokens = await expectTokens(await pollDevice(tenant, client, started.device_code));
    const idToken = await verifyWithJwks(tenant, tokens.id_token ?? "", "JWT", client.client.id);
    expect(idToken).toMatchObject({ sub: tenant.user.id, email: tenant.user.email, azp: client.client.id });
    const userinfo = await call(`/t/${tenant.slug}/oauth/userinfo`, { token: tokens.access_token });
    expect(await json(userinfo)).toMatchObject({ sub: tenant.user.id, email: tenant.user.email });
    await expectOAuthError(await pollDevice(tenant, client, started.device_code), 400, "invalid_grant");
    await vi.waitFor(async () => {
      const events = await allAuditEvents(tenant, { type: "oauth.device_approved" });
      expect(events.map((event) => [event.subject_id, event.data.client_id])).toEqual([[tenant.user.id, client.client.id]]);
    });

    // The decision used the code up: opening the link again shows the entry form with an error.
    const again = await browser.get(confirmUrl);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("That code is not valid");
  });

  it("typing the code (any case, no dash) on the entry form; Deny answers access_denied", async () => {
    const { tenant, client } = await setup();
    const started = await startDevice(tenant, client, { scope: "openid" });
    const { browser } = await signInThroughDevicePage(tenant, `${ORIGIN}/t/${tenant.slug}/device`);
    const entry = await formOf(browser, `/t/${tenant.slug}/device`);
    expect(entry.page).toContain('name="user_code"');
    const looked = await browser.post(`/t/${tenant.slug}/device`, { ...entry.fields, user_code: started.user_code.replace("-", "").toLowerCase() });
    expect(looked.status).toBe(200);
    const confirm = await looked.text();
    expect(confirm).toContain(started.user_code);
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(confirm)?.[1] ?? "";
    const denied = await browser.post(`/t/${tenant.slug}/device`, { csrf_token: csrf, user_code: started.user_code, decision: "deny" });
    expect(denied.status).toBe(200);
    expect(await denied.text()).toContain("denied");
    await expectOAuthError(await pollDevice(tenant, client, started.device_code), 400, "access_denied");
    await vi.waitFor(async () => {
      const events = await allAuditEvents(tenant, { type: "oauth.device_denied" });
      expect(events.map((event) => event.data.client_id)).toEqual([client.client.id]);
    });
  });

  it("a wrong code shows the form again with the error, linked to the field", async () => {
    const { tenant } = await setup();
    const { browser } = await signInThroughDevicePage(tenant, `${ORIGIN}/t/${tenant.slug}/device`);
    const entry = await formOf(browser, `/t/${tenant.slug}/device`);
    const wrong = await browser.post(`/t/${tenant.slug}/device`, { ...entry.fields, user_code: "BBBB-BBBB" });
    expect(wrong.status).toBe(400);
    const page = await wrong.text();
    expect(page).toContain('href="#user_code"');
    expect(page).toContain('aria-invalid="true"');
  });

  it("refuses cross-site posts and posts without the CSRF token; nothing is decided", async () => {
    const { tenant, client } = await setup();
    const started = await startDevice(tenant, client, { scope: "openid" });
    const { browser, confirmUrl } = await signInThroughDevicePage(tenant, started.verification_uri_complete);
    const { fields } = await formOf(browser, confirmUrl);
    const crossSite = await browser.post(`/t/${tenant.slug}/device`, { ...fields, decision: "allow" }, "https://evil.example");
    expect(crossSite.status).toBe(403);
    const noToken = await browser.post(`/t/${tenant.slug}/device`, { user_code: started.user_code, decision: "allow" });
    expect(noToken.status).toBe(403);
    await expectOAuthError(await pollDevice(tenant, client, started.device_code), 400, "authorization_pending");
  });

  it("a browser that is not signed in is sent to sign in, for GET and POST alike", async () => {
    const { tenant } = await setup();
    const browser = new Browser(workerFetch);
    const get = locationOf(await browser.get(`/t/${tenant.slug}/device`));
    expect(get.pathname).toBe(`/t/${tenant.slug}/login`);
    expect(get.searchParams.get("return_to")).toBe(`/t/${tenant.slug}/device`);
    const { fields } = await formOf(browser, get.pathname + get.search);
    const post = locationOf(await browser.post(`/t/${tenant.slug}/device`, { csrf_token: fields.csrf_token ?? "", user_code: "BCDF-GHJK", decision: "allow" }));
    expect(post.searchParams.get("return_to")).toBe(`/t/${tenant.slug}/device?user_code=BCDF-GHJK`);
  });

  it("signing out of the hosted session ends the device grant made from it", async () => {
    const { tenant, client } = await setup();
    const started = await startDevice(tenant, client, { scope: "openid offline_access" });
    const { browser, confirmUrl } = await signInThroughDevicePage(tenant, started.verification_uri_complete);
    const { fields } = await formOf(browser, confirmUrl);
    await browser.post(`/t/${tenant.slug}/device`, { ...fields, decision: "allow" });
    const tokens = await expectTokens(await pollDevice(tenant, client, started.device_code));
    const logout = await formOf(browser, `/t/${tenant.slug}/logout`);
    const out = await browser.post(`/t/${tenant.slug}/logout`, logout.fields);
    expect(out.status).toBe(200);
    expect((await call(`/t/${tenant.slug}/oauth/userinfo`, { token: tokens.access_token })).status).toBe(401);
  });
});
