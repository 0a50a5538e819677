import { HOTP, Secret } from "otpauth";
import { describe, expect, it } from "vitest";
import { allAuditEvents, jwtPayload } from "./admin-helpers";
import { call, expectProblem, json, signIn, type TestTenant, type TokenBody } from "./helpers";
import {
  type RequestOptionsBody,
  expectVerificationFailure,
  passkeySignIn,
  passkeyTenant,
  passkeyUser,
  registerPasskey,
  signInOptions,
} from "./passkey-helpers";
import type { SoftAuthenticator } from "./webauthn-authenticator";

interface MfaRequiredBody {
  status: "mfa_required";
  mfa_token: string;
  factors: string[];
}

async function mfaRequired(response: Response): Promise<MfaRequiredBody> {
  expect(response.status).toBe(200);
  const body = await json<MfaRequiredBody>(response);
  expect(body.status).toBe("mfa_required");
  return body;
}

const mfaOptions = (tenant: TestTenant, mfaToken: string) =>
  call(`${tenant.base}/sessions/mfa/passkey/options`, { body: { mfa_token: mfaToken } });

const answerWithPasskey = (tenant: TestTenant, mfaToken: string, response: unknown) =>
  call(`${tenant.base}/sessions/mfa/passkey`, { body: { mfa_token: mfaToken, response } });

async function optionsFor(tenant: TestTenant, mfaToken: string): Promise<RequestOptionsBody> {
  const response = await mfaOptions(tenant, mfaToken);
  expect(response.status).toBe(200);
  return json<RequestOptionsBody>(response);
}

/** A user with one passkey, then a password sign-in that stops at the MFA challenge. */
async function passwordThenChallenge(tenant: TestTenant) {
  const user = await passkeyUser(tenant);
  const passkey = await registerPasskey(tenant, user.tokens, user.authenticator);
  const challenge = await mfaRequired(await signIn(tenant, user.email));
  return { ...user, passkey, challenge };
}

async function enrolTotp(tenant: TestTenant, accessToken: string): Promise<void> {
  const started = await call(`${tenant.base}/me/mfa/totp`, { method: "POST", token: accessToken });
  expect(started.status).toBe(201);
  const { secret } = await json<{ secret: string }>(started);
  const code = HOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, counter: Math.floor(Date.now() / 30_000) });
  expect((await call(`${tenant.base}/me/mfa/totp/activate`, { token: accessToken, body: { code } })).status).toBe(200);
}

async function answer(tenant: TestTenant, mfaToken: string, authenticator: SoftAuthenticator): Promise<Response> {
  return answerWithPasskey(tenant, mfaToken, await authenticator.get(await optionsFor(tenant, mfaToken)));
}

describe("passkey as a second factor", () => {
  it("answers the MFA challenge after a password: options list the user's passkeys, amr gains hwk and mfa", async () => {
    const tenant = await passkeyTenant();
    const { challenge, passkey, authenticator } = await passwordThenChallenge(tenant);
    expect(challenge.factors).toEqual(["passkey"]);
    const options = await optionsFor(tenant, challenge.mfa_token);
    expect(options.allowCredentials).toEqual([{ id: passkey.credential_id, type: "public-key", transports: ["internal"] }]);
    const response = await answerWithPasskey(tenant, challenge.mfa_token, await authenticator.get(options));
    expect(response.status).toBe(200);
    const tokens = await json<TokenBody>(response);
    expect(jwtPayload(tokens.access_token).amr).toEqual(["pwd", "hwk", "user", "mfa"]);
    // The MFA challenge is used up.
    await expectProblem(await mfaOptions(tenant, challenge.mfa_token), 401, "invalid_mfa_token");
    await expectProblem(await answerWithPasskey(tenant, challenge.mfa_token, await authenticator.get(options)), 401, "invalid_mfa_token");
  });

  it("works beside TOTP", async () => {
    const tenant = await passkeyTenant();
    const user = await passkeyUser(tenant);
    await enrolTotp(tenant, user.tokens.access_token);
    await registerPasskey(tenant, user.tokens, user.authenticator);
    const challenge = await mfaRequired(await signIn(tenant, user.email));
    expect(challenge.factors).toEqual(expect.arrayContaining(["totp", "passkey"]));
    expect((await answer(tenant, challenge.mfa_token, user.authenticator)).status).toBe(200);
  });

  it("refuses a passkey of another account, audits it, and leaves the challenge usable", async () => {
    const tenant = await passkeyTenant();
    const alice = await passwordThenChallenge(tenant);
    const bob = await passwordThenChallenge(tenant);
    const options = await optionsFor(tenant, bob.challenge.mfa_token);
    const withAlicesKey = await alice.authenticator.get(options, { credentialId: alice.passkey.credential_id });
    expect(await expectVerificationFailure(await answerWithPasskey(tenant, bob.challenge.mfa_token, withAlicesKey))).toMatch(/another account/);
    const events = await allAuditEvents(tenant, { type: "passkey.sign_in_failed" });
    expect(events[0]).toMatchObject({ subject_id: bob.tokens.user?.id, data: { reason: "credential_of_another_user", passkey_id: alice.passkey.id } });
    expect((await answer(tenant, bob.challenge.mfa_token, bob.authenticator)).status).toBe(200);
  });

  it("ties options to their MFA challenge and flow", async () => {
    const tenant = await passkeyTenant();
    const user = await passwordThenChallenge(tenant);
    const other = await mfaRequired(await signIn(tenant, user.email));
    // Options of one MFA challenge cannot answer another, even of the same user.
    const foreign = await user.authenticator.get(await optionsFor(tenant, user.challenge.mfa_token));
    await expectProblem(await answerWithPasskey(tenant, other.mfa_token, foreign), 400, "invalid_challenge");
    // A usernameless sign-in challenge cannot answer an MFA challenge, nor the reverse.
    const signInAssertion = await user.authenticator.get(await signInOptions(tenant));
    await expectProblem(await answerWithPasskey(tenant, other.mfa_token, signInAssertion), 400, "invalid_challenge");
    const mfaAssertion = await user.authenticator.get(await optionsFor(tenant, other.mfa_token));
    const response = await call(`${tenant.base}/sessions/passkey`, { body: { response: mfaAssertion } });
    await expectProblem(response, 400, "invalid_challenge");
  });

  it("after a passkey sign-in without user verification, the second passkey must verify the user", async () => {
    const tenant = await passkeyTenant();
    const user = await passkeyUser(tenant);
    await registerPasskey(tenant, user.tokens, user.authenticator);
    const challenge = await mfaRequired(await passkeySignIn(tenant, user.authenticator, { userVerified: false }));
    const options = await optionsFor(tenant, challenge.mfa_token);
    expect(options.userVerification).toBe("required");
    await expectVerificationFailure(await answerWithPasskey(tenant, challenge.mfa_token, await user.authenticator.get(options, { userVerified: false })));
    const response = await answer(tenant, challenge.mfa_token, user.authenticator);
    expect(response.status).toBe(200);
    expect(jwtPayload((await json<TokenBody>(response)).access_token).amr).toEqual(["hwk", "user", "mfa"]);
  });

  it("a user without passkeys gets 404 for passkey options; a bad mfa_token 401", async () => {
    const tenant = await passkeyTenant();
    const user = await passkeyUser(tenant);
    await enrolTotp(tenant, user.tokens.access_token);
    const challenge = await mfaRequired(await signIn(tenant, user.email));
    expect(challenge.factors).not.toContain("passkey");
    await expectProblem(await mfaOptions(tenant, challenge.mfa_token), 404, "not_found");
    await expectProblem(await mfaOptions(tenant, "not-a-token"), 401, "invalid_mfa_token");
  });
});
