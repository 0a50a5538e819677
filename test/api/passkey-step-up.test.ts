import { describe, expect, it } from "vitest";
import { allAuditEvents, createUser, jwtPayload, patchSettings } from "./admin-helpers";
import { codeIn, emailApi, lastMailTo } from "./email-helpers";
import { expectProblem, freshIp, json, STRONG_PASSWORD, type TestTenant } from "./helpers";
import {
  listPasskeys,
  passkeySignIn,
  passkeyTenant,
  passkeyUser,
  postPasskeySignIn,
  registerPasskey,
  type RequestOptionsBody,
  signInOptions,
} from "./passkey-helpers";
import { type Caller, clockedApp, MINUTE, refresh, tokensOf } from "./token-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

interface StepUpBody {
  session_id: string;
  verified_at: string;
  amr: string[];
  max_age: number;
}

const stepUpOptions = (tenant: TestTenant, token: string, send: Caller) =>
  send(`${tenant.base}/me/step-up/passkey/options`, { method: "POST", token });

async function optionsFor(tenant: TestTenant, token: string, send: Caller): Promise<RequestOptionsBody> {
  const response = await stepUpOptions(tenant, token, send);
  expect(response.status).toBe(200);
  return json<RequestOptionsBody>(response);
}

const stepUp = (tenant: TestTenant, token: string, passkey: unknown, send: Caller) =>
  send(`${tenant.base}/me/step-up`, { token, body: { passkey } });

const deletePasskey = (tenant: TestTenant, token: string, id: string, send: Caller) =>
  send(`${tenant.base}/me/passkeys/${id}`, { method: "DELETE", token });

/** A tenant, a password user with one passkey, and an API whose clock has moved past the step-up window. */
async function staleSessionWithPasskey() {
  const { call: send, clock } = clockedApp();
  const tenant = await passkeyTenant();
  const user = await passkeyUser(tenant);
  const passkey = await registerPasskey(tenant, user.tokens, user.authenticator, {}, send);
  clock.advance(11 * MINUTE);
  return { tenant, send, clock, ...user, passkey };
}

/** The session has not authenticated recently: deleting a passkey still asks for a step-up. */
const expectNotVerified = async (tenant: TestTenant, token: string, passkeyId: string, send: Caller) =>
  expectProblem(await deletePasskey(tenant, token, passkeyId, send), 403, "step_up_required");

describe("step-up with a passkey", () => {
  it("a passkey-only user signed in with a passkey steps up with it and may then delete a passkey; nothing else changes", async () => {
    const api = emailApi();
    const tenant = await passkeyTenant();
    const { email } = await createUser(tenant, {});
    expect((await api.call(`${tenant.base}/email-codes`, { body: { email }, ip: freshIp() })).status).toBe(202);
    const code = codeIn(await lastMailTo(api, email));
    const viaEmail = await tokensOf(await api.call(`${tenant.base}/sessions/email-code`, { body: { email, code }, ip: freshIp() }));
    const phone = new SoftAuthenticator({ origin: "http://localhost:5173" });
    const laptop = new SoftAuthenticator({ origin: "http://localhost:5173" });
    const kept = await registerPasskey(tenant, viaEmail, phone, {}, api.call);
    const spare = await registerPasskey(tenant, viaEmail, laptop, {}, api.call);

    const signedIn = await tokensOf(await passkeySignIn(tenant, phone, {}, api.call));
    expect(jwtPayload(signedIn.access_token).amr).toEqual(["hwk", "user"]);
    api.clock.advance(11 * MINUTE);
    await expectNotVerified(tenant, signedIn.access_token, spare.id, api.call);
    // No password to give again: before this change such a user could never step up.
    await expectProblem(await api.call(`${tenant.base}/me/step-up`, { token: signedIn.access_token, body: { password: STRONG_PASSWORD } }), 401, "invalid_credentials");

    const options = await optionsFor(tenant, signedIn.access_token, api.call);
    expect(options).toMatchObject({ rpId: "localhost", userVerification: "preferred" });
    expect(options.allowCredentials.map((item) => item.id).sort()).toEqual([kept.credential_id, spare.credential_id].sort());
    const stepped = await stepUp(tenant, signedIn.access_token, await phone.get(options), api.call);
    expect(stepped.status).toBe(200);
    const body = await json<StepUpBody>(stepped);
    expect(body).toMatchObject({ session_id: signedIn.session_id, amr: ["hwk", "user"], max_age: 600 });
    expect(Date.parse(body.verified_at)).toBe(api.clock.now());

    expect((await deletePasskey(tenant, signedIn.access_token, spare.id, api.call)).status).toBe(204);
    expect((await listPasskeys(tenant, signedIn.access_token, api.call)).map((passkey) => passkey.id)).toEqual([kept.id]);
    const refreshed = await tokensOf(await refresh(tenant, signedIn.refresh_token, api.call));
    expect(refreshed.session_id).toBe(signedIn.session_id);
    expect(jwtPayload(refreshed.access_token).amr).toEqual(["hwk", "user"]);
    const steps = await allAuditEvents(tenant, { type: "session.stepped_up" });
    expect(steps.map((event) => event.data)).toEqual([{ session_id: signedIn.session_id, method: "passkey" }]);
  });

  it("without user verification the session's amr gains hwk only; a tenant requiring UV refuses it", async () => {
    const { tenant, send, tokens, authenticator, passkey } = await staleSessionWithPasskey();
    const stepped = await stepUp(tenant, tokens.access_token, await authenticator.get(await optionsFor(tenant, tokens.access_token, send), { userVerified: false }), send);
    expect(stepped.status).toBe(200);
    expect((await json<StepUpBody>(stepped)).amr).toEqual(["pwd", "hwk"]);

    const other = await staleSessionWithPasskey();
    await patchSettings(other.tenant, { passkeys: { user_verification: "required" } });
    const options = await optionsFor(other.tenant, other.tokens.access_token, other.send);
    expect(options.userVerification).toBe("required");
    await expectProblem(await stepUp(other.tenant, other.tokens.access_token, await other.authenticator.get(options, { userVerified: false }), other.send), 400, "webauthn_verification_failed");
    await expectNotVerified(other.tenant, other.tokens.access_token, other.passkey.id, other.send);
    expect((await deletePasskey(tenant, tokens.access_token, passkey.id, send)).status).toBe(204);
  });

  it("refuses a challenge issued to another session of the same user; the session stays unverified", async () => {
    const { tenant, send, tokens, authenticator, passkey } = await staleSessionWithPasskey();
    const second = await tokensOf(await passkeySignIn(tenant, authenticator, {}, send));
    const first = tokens.access_token;
    const issuedToSecond = await optionsFor(tenant, second.access_token, send);
    await expectProblem(await stepUp(tenant, first, await authenticator.get(issuedToSecond), send), 400, "invalid_challenge");
    await expectNotVerified(tenant, first, passkey.id, send);
    // The failed attempt burned the challenge: the session it was issued to cannot use it either.
    await expectProblem(await stepUp(tenant, second.access_token, await authenticator.get(issuedToSecond), send), 400, "invalid_challenge");
    const failures = await allAuditEvents(tenant, { type: "session.step_up_failed" });
    expect(failures.map((event) => event.data)).toEqual(
      expect.arrayContaining([{ session_id: tokens.session_id, method: "passkey" }, { session_id: second.session_id, method: "passkey" }]),
    );
  });

  it("refuses challenges of a sign-in or an MFA challenge, and a step-up challenge cannot sign in", async () => {
    const { tenant, send, tokens, authenticator, passkey, email } = await staleSessionWithPasskey();
    const signInChallenge = await signInOptions(tenant, send);
    await expectProblem(await stepUp(tenant, tokens.access_token, await authenticator.get(signInChallenge), send), 400, "invalid_challenge");

    const mfa = await json<{ mfa_token: string }>(await send(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() }));
    const mfaOptions = await send(`${tenant.base}/sessions/mfa/passkey/options`, { body: { mfa_token: mfa.mfa_token } });
    expect(mfaOptions.status).toBe(200);
    const mfaChallenge = await json<RequestOptionsBody>(mfaOptions);
    await expectProblem(await stepUp(tenant, tokens.access_token, await authenticator.get(mfaChallenge), send), 400, "invalid_challenge");

    const stepUpChallenge = await optionsFor(tenant, tokens.access_token, send);
    await expectProblem(await postPasskeySignIn(tenant, await authenticator.get(stepUpChallenge), send), 400, "invalid_challenge");
    await expectNotVerified(tenant, tokens.access_token, passkey.id, send);
  });

  it("refuses another user's passkey and audits it", async () => {
    const { tenant, send, tokens, passkey } = await staleSessionWithPasskey();
    const other = await passkeyUser(tenant);
    const theirs = await registerPasskey(tenant, other.tokens, other.authenticator, {}, send);
    const options = await optionsFor(tenant, tokens.access_token, send);
    const assertion = await other.authenticator.get(options, { credentialId: theirs.credential_id });
    await expectProblem(await stepUp(tenant, tokens.access_token, assertion, send), 400, "webauthn_verification_failed");
    await expectNotVerified(tenant, tokens.access_token, passkey.id, send);
    const refused = await allAuditEvents(tenant, { type: "passkey.sign_in_failed" });
    expect(refused.map((event) => event.data)).toEqual([{ reason: "credential_of_another_user", passkey_id: theirs.id }]);
    expect(refused[0]?.subject_id).toBe(tokens.user?.id);
    expect((await allAuditEvents(tenant, { type: "session.step_up_failed" }))[0]).toMatchObject({ subject_id: tokens.user?.id, data: { method: "passkey" } });
  });

  it("refuses a replayed assertion, also when two copies race", async () => {
    const { tenant, send, tokens, authenticator } = await staleSessionWithPasskey();
    const assertion = await authenticator.get(await optionsFor(tenant, tokens.access_token, send));
    expect((await stepUp(tenant, tokens.access_token, assertion, send)).status).toBe(200);
    await expectProblem(await stepUp(tenant, tokens.access_token, assertion, send), 400, "invalid_challenge");
    // Another session of the same user cannot reuse it either.
    const second = await tokensOf(await passkeySignIn(tenant, authenticator, {}, send));
    await expectProblem(await stepUp(tenant, second.access_token, assertion, send), 400, "invalid_challenge");

    const raced = await authenticator.get(await optionsFor(tenant, tokens.access_token, send));
    const statuses = await Promise.all([stepUp(tenant, tokens.access_token, raced, send), stepUp(tenant, tokens.access_token, raced, send)]);
    expect(statuses.map((response) => response.status).sort()).toEqual([200, 400]);
  });

  it("a failed proof (wrong origin, expired challenge) leaves the session unverified", async () => {
    const { tenant, send, clock, tokens, authenticator, passkey } = await staleSessionWithPasskey();
    const options = await optionsFor(tenant, tokens.access_token, send);
    await expectProblem(await stepUp(tenant, tokens.access_token, await authenticator.get(options, { origin: "https://evil.example" }), send), 400, "webauthn_verification_failed");
    await expectNotVerified(tenant, tokens.access_token, passkey.id, send);
    const expiring = await optionsFor(tenant, tokens.access_token, send);
    clock.advance(5 * MINUTE + 1_000);
    // The first access token has expired by now (15 minutes); the session goes on with a refreshed one.
    const refreshed = await tokensOf(await refresh(tenant, tokens.refresh_token, send));
    expect(jwtPayload(refreshed.access_token).amr).toEqual(["pwd"]);
    await expectProblem(await stepUp(tenant, refreshed.access_token, await authenticator.get(expiring), send), 400, "invalid_challenge");
    await expectNotVerified(tenant, refreshed.access_token, passkey.id, send);
    expect(await allAuditEvents(tenant, { type: "session.step_up_failed" })).toHaveLength(2);
  });

  it("is rate limited per user, needs a passkey, a signed-in user and exactly one proof", async () => {
    const { tenant, send, tokens, authenticator } = await staleSessionWithPasskey();
    await patchSettings(tenant, { rate_limits: { sign_in_per_minute_per_account: 2 } });
    await optionsFor(tenant, tokens.access_token, send);
    const options = await optionsFor(tenant, tokens.access_token, send);
    await expectProblem(await stepUpOptions(tenant, tokens.access_token, send), 429, "rate_limited");
    // Password re-checks share the bucket.
    await expectProblem(await send(`${tenant.base}/me/step-up`, { token: tokens.access_token, body: { password: STRONG_PASSWORD } }), 429, "rate_limited");

    const assertion = await authenticator.get(options);
    const both = await send(`${tenant.base}/me/step-up`, { token: tokens.access_token, body: { passkey: assertion, password: STRONG_PASSWORD } });
    await expectProblem(both, 400, "validation_failed");
    await expectProblem(await send(`${tenant.base}/me/step-up/passkey/options`, { method: "POST" }), 401, "unauthorized");

    const bare = await passkeyUser(tenant);
    await expectProblem(await stepUpOptions(tenant, bare.tokens.access_token, send), 404, "not_found");
  });
});
