import { describe, expect, it } from "vitest";
import { allAuditEvents, patchSettings } from "./admin-helpers";
import { call, expectProblem, json, signUp } from "./helpers";
import {
  APP_ORIGIN,
  expectVerificationFailure,
  listPasskeys,
  type PasskeyBody,
  passkeyTenant,
  passkeyUser,
  postPasskey,
  registerPasskey,
  registrationOptions,
} from "./passkey-helpers";
import { clockedApp, MINUTE } from "./token-helpers";
import { b64url, fromB64url, SoftAuthenticator } from "./webauthn-authenticator";

describe("passkey registration", () => {
  it("offers discoverable-credential options without personal data in the user handle", async () => {
    const tenant = await passkeyTenant();
    const { email, tokens } = await passkeyUser(tenant);
    const options = await registrationOptions(tenant, tokens.access_token);
    expect(options.rp).toEqual({ id: "localhost", name: `Tenant ${tenant.slug}` });
    expect(options.user.name).toBe(email);
    expect(options.user.id).not.toContain(b64url(new TextEncoder().encode(email)).slice(0, 8));
    expect(fromB64url(options.user.id).length).toBeLessThanOrEqual(64);
    expect(fromB64url(options.challenge).length).toBeGreaterThanOrEqual(16);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", requireResidentKey: true, userVerification: "preferred" });
    expect(options.attestation).toBe("none");
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([-8, -7, -257]);
    expect(options.excludeCredentials).toEqual([]);
    expect(options.timeout).toBeLessThanOrEqual(5 * MINUTE);
    // The same account always gets the same handle, so an authenticator keeps one credential per account.
    expect((await registrationOptions(tenant, tokens.access_token)).user.id).toBe(options.user.id);
  });

  it("registers, lists, renames and deletes a passkey, and audits each step", async () => {
    const tenant = await passkeyTenant();
    const { tokens, authenticator } = await passkeyUser(tenant);
    const created = await registerPasskey(tenant, tokens, authenticator);
    expect(created).toMatchObject({ name: "Passkey", device_type: "singleDevice", backed_up: false, transports: ["internal"], aaguid: null, last_used_at: null });
    expect(created.id).toMatch(/^pk_/);
    expect(Object.keys(created)).not.toContain("public_key");
    expect(Object.keys(created)).not.toContain("counter");

    expect(await listPasskeys(tenant, tokens.access_token)).toEqual([created]);
    const again = await registrationOptions(tenant, tokens.access_token);
    expect(again.excludeCredentials).toEqual([{ id: created.credential_id, type: "public-key", transports: ["internal"] }]);

    const renamed = await call(`${tenant.base}/me/passkeys/${created.id}`, { method: "PATCH", token: tokens.access_token, body: { name: "  Work laptop " } });
    expect(renamed.status).toBe(200);
    expect(await json<PasskeyBody>(renamed)).toMatchObject({ id: created.id, name: "Work laptop" });

    const deleted = await call(`${tenant.base}/me/passkeys/${created.id}`, { method: "DELETE", token: tokens.access_token });
    expect(deleted.status).toBe(204);
    expect(await listPasskeys(tenant, tokens.access_token)).toEqual([]);
    await expectProblem(await call(`${tenant.base}/me/passkeys/${created.id}`, { method: "DELETE", token: tokens.access_token }), 404, "not_found");

    const events = await allAuditEvents(tenant, { subject_id: tokens.user?.id ?? "" });
    const types = events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["passkey.registered", "passkey.renamed", "passkey.deleted"]));
    expect(events.find((event) => event.type === "passkey.registered")?.data).toMatchObject({ passkey_id: created.id, user_verified: true });
  });

  it("takes a name, keeps a synced passkey's backup flags, and refuses the same credential twice", async () => {
    const tenant = await passkeyTenant();
    const { tokens, authenticator } = await passkeyUser(tenant, { backupEligible: true });
    const options = await registrationOptions(tenant, tokens.access_token);
    const credential = await authenticator.create(options);
    const response = await postPasskey(tenant, tokens.access_token, { response: credential, name: "Phone" });
    expect(response.status).toBe(201);
    expect(await json<PasskeyBody>(response)).toMatchObject({ name: "Phone", device_type: "multiDevice", backed_up: true });
    // A second ceremony that reports the same credential ID (WebAuthn §7.1: must not be registered twice).
    const second = await registrationOptions(tenant, tokens.access_token);
    const duplicate = { ...credential, response: { ...credential.response, clientDataJSON: b64url(new TextEncoder().encode(JSON.stringify({ type: "webauthn.create", challenge: second.challenge, origin: APP_ORIGIN, crossOrigin: false }))) } };
    await expectProblem(await postPasskey(tenant, tokens.access_token, { response: duplicate }), 409, "conflict");
    expect(await listPasskeys(tenant, tokens.access_token)).toHaveLength(1);
  });

  it("refuses a replayed registration response", async () => {
    const tenant = await passkeyTenant();
    const { tokens, authenticator } = await passkeyUser(tenant);
    const credential = await authenticator.create(await registrationOptions(tenant, tokens.access_token));
    expect((await postPasskey(tenant, tokens.access_token, { response: credential })).status).toBe(201);
    await expectProblem(await postPasskey(tenant, tokens.access_token, { response: credential }), 400, "invalid_challenge");
  });

  it("refuses a challenge issued to another user", async () => {
    const tenant = await passkeyTenant();
    const alice = await passkeyUser(tenant);
    const bob = await signUp(tenant);
    const credential = await alice.authenticator.create(await registrationOptions(tenant, alice.tokens.access_token));
    await expectProblem(await postPasskey(tenant, bob.tokens.access_token, { response: credential }), 400, "invalid_challenge");
    expect(await listPasskeys(tenant, bob.tokens.access_token)).toEqual([]);
  });

  it("refuses a wrong origin, a wrong RP ID and a mismatched rawId, writing nothing", async () => {
    const tenant = await passkeyTenant();
    const { tokens, authenticator } = await passkeyUser(tenant);
    for (const overrides of [{ origin: "https://evil.example" }, { rpId: "evil.example" }, { rpId: "example.com" }]) {
      const credential = await authenticator.create(await registrationOptions(tenant, tokens.access_token), overrides);
      await expectProblem(await postPasskey(tenant, tokens.access_token, { response: credential }), 400, "webauthn_verification_failed");
    }
    // A rawId other than the credential ID inside the authenticator data.
    const credential = await authenticator.create(await registrationOptions(tenant, tokens.access_token));
    const swapped = { ...credential, id: "c3dhcHBlZA", rawId: "c3dhcHBlZA" };
    expect(await expectVerificationFailure(await postPasskey(tenant, tokens.access_token, { response: swapped }))).toMatch(/rawId/);
    expect(await listPasskeys(tenant, tokens.access_token)).toEqual([]);
  });

  it("refuses an expired challenge (5 minutes)", async () => {
    const tenant = await passkeyTenant();
    const { call: send, clock } = clockedApp();
    const { tokens, authenticator } = await passkeyUser(tenant);
    const options = await registrationOptions(tenant, tokens.access_token, send);
    clock.advance(5 * MINUTE + 1_000);
    const refreshed = await send(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tokens.refresh_token } });
    const { access_token } = await json<{ access_token: string }>(refreshed);
    await expectProblem(await postPasskey(tenant, access_token, { response: await authenticator.create(options) }, send), 400, "invalid_challenge");
  });

  it("requires user verification when the tenant says so", async () => {
    const tenant = await passkeyTenant();
    await patchSettings(tenant, { passkeys: { user_verification: "required" } });
    const { tokens } = await passkeyUser(tenant);
    const authenticator = new SoftAuthenticator({ origin: APP_ORIGIN, userVerified: false });
    const options = await registrationOptions(tenant, tokens.access_token);
    expect(options.authenticatorSelection.userVerification).toBe("required");
    const credential = await authenticator.create(options);
    await expectProblem(await postPasskey(tenant, tokens.access_token, { response: credential }), 400, "webauthn_verification_failed");
  });

  it("validates bodies and needs a signed-in user", async () => {
    const tenant = await passkeyTenant();
    const { tokens } = await signUp(tenant);
    await expectProblem(await call(`${tenant.base}/me/passkeys/registration/options`, { method: "POST" }), 401, "unauthorized");
    await expectProblem(await postPasskey(tenant, tokens.access_token, { response: { id: "a+b" } }), 400, "validation_failed");
    const notJson = { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: "bm90IGpzb24", attestationObject: "AAAA" } };
    await expectProblem(await postPasskey(tenant, tokens.access_token, { response: notJson }), 400, "webauthn_verification_failed");
    await expectProblem(
      await call(`${tenant.base}/me/passkeys/pk_nope`, { method: "PATCH", token: tokens.access_token, body: { name: "x" } }),
      404,
      "not_found",
    );
  });

  it("deleting a passkey needs a recent authentication", async () => {
    const tenant = await passkeyTenant();
    const { call: send, clock } = clockedApp();
    const { tokens, authenticator } = await passkeyUser(tenant);
    const passkey = await registerPasskey(tenant, tokens, authenticator);
    clock.advance(11 * MINUTE);
    const refreshed = await json<{ access_token: string }>(await send(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tokens.refresh_token } }));
    await expectProblem(await send(`${tenant.base}/me/passkeys/${passkey.id}`, { method: "DELETE", token: refreshed.access_token }), 403, "step_up_required");
    expect(await listPasskeys(tenant, refreshed.access_token, send)).toHaveLength(1);
  });
});
