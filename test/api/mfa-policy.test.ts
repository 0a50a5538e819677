import { describe, expect, it } from "vitest";
import { createUser, jwtPayload, uniqueEmail } from "./admin-helpers";
import { expectProblem, json, STRONG_PASSWORD } from "./helpers";
import {
  answerChallenge,
  codeAt,
  type EnrollmentBody,
  type MfaTokenBody,
  nextCode,
  patchTenantSettings,
  postSignIn,
  signInToChallenge,
  signUpUser,
  userWithTotp,
  world,
  wrongCode,
} from "./mfa-helpers";

describe("tenant MFA policy", () => {
  it("required: a user without a factor enrols TOTP with the mfa_token, and the first code completes the sign-in", async () => {
    const w = await world();
    const { email } = await signUpUser(w);
    await patchTenantSettings(w, { mfa: { policy: "required" } });

    const challenge = await signInToChallenge(w, email);
    expect(challenge).toMatchObject({ enrollment_required: true, factors: [] });
    const enrol = await w.send(`${w.tenant.base}/sessions/mfa/totp-enrollment`, { body: { mfa_token: challenge.mfa_token } });
    expect(enrol.status).toBe(201);
    const enrollment = await json<EnrollmentBody>(enrol);
    expect(enrollment.qr_svg).toContain("<svg");

    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: wrongCode(enrollment.secret, w.clock.now()) }), 401, "invalid_code");
    const done = await answerChallenge(w, { mfa_token: challenge.mfa_token, code: codeAt(enrollment.secret, w.clock.now()) });
    expect(done.status).toBe(200);
    const tokens = await json<MfaTokenBody>(done);
    expect(tokens.recovery_codes).toHaveLength(10);
    expect(jwtPayload(tokens.access_token).amr).toEqual(["pwd", "otp", "mfa"]);

    // From now on the factor is asked for, not enrolled again.
    const next = await signInToChallenge(w, email);
    expect(next).toMatchObject({ enrollment_required: false, factors: ["totp", "recovery_code"] });
    await expectProblem(await w.send(`${w.tenant.base}/sessions/mfa/totp-enrollment`, { body: { mfa_token: next.mfa_token } }), 403, "forbidden");
    expect((await answerChallenge(w, { mfa_token: next.mfa_token, code: nextCode(w, enrollment.secret) })).status).toBe(200);
  });

  it("required: the enrolment challenge cannot be completed without enrolling, nor with a recovery code", async () => {
    const w = await world();
    const { email } = await signUpUser(w);
    await patchTenantSettings(w, { mfa: { policy: "required" } });
    const challenge = await signInToChallenge(w, email);
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: "123456" }), 401, "invalid_code");
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: "AAAA-BBBB-CCCC" }), 401, "invalid_code");
    await expectProblem(await w.send(`${w.tenant.base}/sessions/mfa/totp-enrollment`, { body: { mfa_token: "forged" } }), 401, "invalid_mfa_token");
  });

  it("required_for_admins: users sign in with a password, admins must enrol", async () => {
    const w = await world();
    await patchTenantSettings(w, { mfa: { policy: "required_for_admins" } });
    const userEmail = uniqueEmail("plain");
    const adminEmail = uniqueEmail("admin");
    await createUser(w.tenant, { email: userEmail, password: STRONG_PASSWORD, role: "user" });
    await createUser(w.tenant, { email: adminEmail, password: STRONG_PASSWORD, role: "admin" });

    const user = await json<MfaTokenBody>(await postSignIn(w, userEmail));
    expect(jwtPayload(user.access_token).amr).toEqual(["pwd"]);
    const admin = await signInToChallenge(w, adminEmail);
    expect(admin).toMatchObject({ enrollment_required: true, factors: [] });
  });

  it("optional: a user with TOTP is still asked for it", async () => {
    const w = await world();
    const { email } = await userWithTotp(w);
    expect((await signInToChallenge(w, email)).enrollment_required).toBe(false);
  });
});
