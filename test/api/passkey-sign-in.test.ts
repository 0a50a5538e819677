import { describe, expect, it } from "vitest";
import { allAuditEvents, jwtPayload, patchSettings } from "./admin-helpers";
import { expectProblem, json, type TokenBody } from "./helpers";
import {
  APP_ORIGIN,
  expectVerificationFailure,
  listPasskeys,
  passkeySignIn,
  passkeyTenant,
  passkeyUser,
  postPasskeySignIn,
  registerPasskey,
  signInOptions,
} from "./passkey-helpers";
import { admin, clockedApp, me, MINUTE } from "./token-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

/** A tenant with one user who has registered one passkey. */
async function withPasskey(settings: ConstructorParameters<typeof SoftAuthenticator>[0] = { origin: APP_ORIGIN }) {
  const tenant = await passkeyTenant();
  const user = await passkeyUser(tenant, settings);
  const passkey = await registerPasskey(tenant, user.tokens, user.authenticator);
  return { tenant, ...user, passkey };
}

describe("usernameless passkey sign-in", () => {
  it("signs in with a discoverable credential: tokens whose amr says hwk and user", async () => {
    const { tenant, tokens, authenticator, passkey } = await withPasskey();
    const options = await signInOptions(tenant);
    expect(options).toMatchObject({ rpId: "localhost", allowCredentials: [], userVerification: "preferred" });
    const response = await postPasskeySignIn(tenant, await authenticator.get(options));
    expect(response.status).toBe(200);
    const body = await json<TokenBody>(response);
    expect(body.user?.id).toBe(tokens.user?.id);
    expect(jwtPayload(body.access_token).amr).toEqual(["hwk", "user"]);
    expect((await me(tenant, body.access_token)).status).toBe(200);
    const [used] = await listPasskeys(tenant, body.access_token);
    expect(used?.id).toBe(passkey.id);
    expect(used?.last_used_at).not.toBeNull();
  });

  it("without user verification the passkey is one factor: the MFA challenge follows", async () => {
    const { tenant, authenticator } = await withPasskey();
    const response = await passkeySignIn(tenant, authenticator, { userVerified: false });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ status: "mfa_required", factors: ["passkey"] });
  });

  it("refuses a replayed assertion: a challenge is consumed once", async () => {
    const { tenant, authenticator } = await withPasskey();
    const assertion = await authenticator.get(await signInOptions(tenant));
    expect((await postPasskeySignIn(tenant, assertion)).status).toBe(200);
    await expectProblem(await postPasskeySignIn(tenant, assertion), 400, "invalid_challenge");
  });

  it("of two concurrent submissions of one assertion exactly one signs in", async () => {
    const { tenant, authenticator } = await withPasskey();
    const assertion = await authenticator.get(await signInOptions(tenant));
    const responses = await Promise.all([postPasskeySignIn(tenant, assertion), postPasskeySignIn(tenant, assertion)]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it("refuses an expired challenge (older than 5 minutes)", async () => {
    const { tenant, authenticator } = await withPasskey();
    const { call: send, clock } = clockedApp();
    const options = await signInOptions(tenant, send);
    clock.advance(5 * MINUTE + 1_000);
    await expectProblem(await postPasskeySignIn(tenant, await authenticator.get(options), send), 400, "invalid_challenge");
  });

  it("refuses a wrong origin and burns the challenge", async () => {
    const { tenant, authenticator } = await withPasskey();
    const options = await signInOptions(tenant);
    const problem = await expectVerificationFailure(await postPasskeySignIn(tenant, await authenticator.get(options, { origin: "https://evil.example" })));
    expect(problem).toContain("origin");
    await expectProblem(await postPasskeySignIn(tenant, await authenticator.get(options)), 400, "invalid_challenge");
  });

  it("refuses a wrong RP ID", async () => {
    const { tenant, authenticator } = await withPasskey();
    const problem = await expectVerificationFailure(await passkeySignIn(tenant, authenticator, { rpId: "evil.example" }));
    expect(problem).toMatch(/RP ID/i);
  });

  it("follows the tenant's passkey settings for RP ID and origins", async () => {
    const tenant = await passkeyTenant();
    await patchSettings(tenant, { passkeys: { rp_id: "app.example.com", origins: ["https://app.example.com"] } });
    const user = await passkeyUser(tenant, { origin: "https://app.example.com" });
    await registerPasskey(tenant, user.tokens, user.authenticator);
    const options = await signInOptions(tenant);
    expect(options.rpId).toBe("app.example.com");
    expect((await postPasskeySignIn(tenant, await user.authenticator.get(options))).status).toBe(200);
    // The allowed_origins are no longer accepted once passkeys.origins is set.
    await expectProblem(await passkeySignIn(tenant, user.authenticator, { origin: APP_ORIGIN }), 400, "webauthn_verification_failed");
  });

  it("refuses a counter that does not increase (a possible clone) and audits it", async () => {
    const { tenant, tokens, authenticator, passkey } = await withPasskey();
    expect((await passkeySignIn(tenant, authenticator, { counter: 5 })).status).toBe(200);
    for (const counter of [5, 3, 0]) {
      const problem = await expectVerificationFailure(await passkeySignIn(tenant, authenticator, { counter }));
      expect(problem).toMatch(/counter/);
    }
    expect((await passkeySignIn(tenant, authenticator, { counter: 6 })).status).toBe(200);
    const events = await allAuditEvents(tenant, { type: "passkey.counter_regressed" });
    expect(events).toHaveLength(3);
    expect(events.map((event) => event.data.received_counter).sort()).toEqual([0, 3, 5]);
    expect(events[0]).toMatchObject({ subject_id: tokens.user?.id, data: { passkey_id: passkey.id, stored_counter: 5 } });
  });

  it("accepts authenticators that never count (counter stays 0)", async () => {
    const { tenant, authenticator } = await withPasskey({ origin: APP_ORIGIN, counts: false });
    expect((await passkeySignIn(tenant, authenticator)).status).toBe(200);
    expect((await passkeySignIn(tenant, authenticator)).status).toBe(200);
  });

  it("refuses a bad signature, an unknown credential and a user handle of another account", async () => {
    const { tenant, authenticator } = await withPasskey();
    const other = await passkeyUser(tenant);
    await registerPasskey(tenant, other.tokens, other.authenticator);

    const assertion = await authenticator.get(await signInOptions(tenant));
    const forged = { ...assertion, response: { ...assertion.response, signature: (await other.authenticator.get(await signInOptions(tenant))).response.signature } };
    await expectProblem(await postPasskeySignIn(tenant, forged), 400, "webauthn_verification_failed");

    const stranger = new SoftAuthenticator({ origin: APP_ORIGIN });
    await stranger.create({ challenge: "AAAAAAAAAAAAAAAAAAAAAA", rp: { id: "localhost", name: "x" }, user: { id: "AAAA", name: "x", displayName: "x" } });
    await expectProblem(await passkeySignIn(tenant, stranger), 400, "webauthn_verification_failed");

    const otherHandle = other.authenticator.credentials[0]?.userHandle ?? "";
    const swapped = await expectVerificationFailure(await passkeySignIn(tenant, authenticator, { userHandle: otherHandle }));
    expect(swapped).toMatch(/user handle/);
    await expectProblem(await passkeySignIn(tenant, authenticator, { userHandle: null }), 400, "webauthn_verification_failed");

    const reasons = (await allAuditEvents(tenant, { type: "passkey.sign_in_failed" })).map((event) => event.data.reason);
    expect(reasons).toEqual(expect.arrayContaining(["bad_signature", "unknown_credential", "user_handle_mismatch", "missing_user_handle"]));
  });

  it("refuses a passkey registered in another tenant", async () => {
    const { authenticator } = await withPasskey();
    const elsewhere = await passkeyTenant();
    await expectProblem(await passkeySignIn(elsewhere, authenticator), 400, "webauthn_verification_failed");
  });

  it("refuses a changed backup eligibility flag", async () => {
    const { tenant, authenticator } = await withPasskey();
    const problem = await expectVerificationFailure(await passkeySignIn(tenant, authenticator, { backupEligible: true }));
    expect(problem).toMatch(/backup/);
  });

  it("requires user verification when the tenant says so", async () => {
    const { tenant, authenticator } = await withPasskey();
    await patchSettings(tenant, { passkeys: { user_verification: "required" } });
    expect((await signInOptions(tenant)).userVerification).toBe("required");
    await expectProblem(await passkeySignIn(tenant, authenticator, { userVerified: false }), 400, "webauthn_verification_failed");
    expect((await passkeySignIn(tenant, authenticator)).status).toBe(200);
  });

  it("refuses a banned user", async () => {
    const { tenant, tokens, authenticator } = await withPasskey();
    expect((await admin(tenant, `/users/${tokens.user?.id}/ban`, { method: "POST", body: { reason: "test" } })).status).toBe(200);
    await expectProblem(await passkeySignIn(tenant, authenticator), 403, "user_banned");
  });
});
