import { describe, expect, it } from "vitest";
import { jwtPayload } from "./admin-helpers";
import { mailTo } from "./email-helpers";
import { expectProblem, json, STRONG_PASSWORD } from "./helpers";
import {
  answerChallenge,
  auditEvents,
  type MfaTokenBody,
  nextCode,
  postSignIn,
  signInToChallenge,
  signUpUser,
  userWithTotp,
  world,
} from "./mfa-helpers";

const MINUTE = 60_000;

describe("recovery codes", () => {
  it("a code signs in once (amr pwd mfa), is audited, and is refused the second time", async () => {
    const w = await world();
    const { email, recoveryCodes } = await userWithTotp(w);
    const [code] = recoveryCodes as [string];
    const first = await signInToChallenge(w, email);
    // Case and dashes do not matter.
    const response = await answerChallenge(w, { mfa_token: first.mfa_token, recovery_code: code.toLowerCase().replace(/-/g, " ") });
    expect(response.status).toBe(200);
    const tokens = await json<MfaTokenBody>(response);
    expect(jwtPayload(tokens.access_token).amr).toEqual(["pwd", "mfa"]);

    const second = await signInToChallenge(w, email);
    await expectProblem(await answerChallenge(w, { mfa_token: second.mfa_token, recovery_code: code }), 401, "invalid_code");

    const summary = await json<{ recovery_codes_remaining: number }>(await w.send(`${w.tenant.base}/me/mfa`, { token: tokens.access_token }));
    expect(summary.recovery_codes_remaining).toBe(9);
    const used = (await auditEvents(w)).filter((event) => event.type === "mfa.recovery_code_used");
    expect(used).toHaveLength(1);
    expect(used[0]?.data).toEqual({ remaining: 9 });
    // The owner is told by email; the code itself is not in it.
    const notices = (await mailTo({ clock: w.clock, call: w.send }, email)).filter((mail) => mail.subject.includes("recovery code"));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.text).toContain("9 codes left");
    expect(notices[0]?.text).not.toContain(code);
  });

  it("regenerating (after a step-up when the sign-in is old) replaces every earlier code", async () => {
    const w = await world();
    const { email, tokens, secret, recoveryCodes } = await userWithTotp(w);
    const regenerate = (token: string) => w.send(`${w.tenant.base}/me/mfa/recovery-codes`, { method: "POST", token });
    w.clock.advance(11 * MINUTE);
    const refused = await regenerate(tokens.access_token);
    await expectProblem(refused, 403, "step_up_required");
    const stepUp = await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { code: nextCode(w, secret) } });
    expect(stepUp.status).toBe(200);
    const regenerated = await regenerate(tokens.access_token);
    expect(regenerated.status).toBe(200);
    const fresh = (await json<{ recovery_codes: string[] }>(regenerated)).recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);

    const challenge = await signInToChallenge(w, email);
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: recoveryCodes[0] ?? "" }), 401, "invalid_code");
    expect((await answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: fresh[0] ?? "" })).status).toBe(200);
  });

  it("cannot be created without a second factor", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    await expectProblem(await w.send(`${w.tenant.base}/me/mfa/recovery-codes`, { method: "POST", token: tokens.access_token }), 409, "conflict");
  });
});

describe("removing TOTP", () => {
  it("needs a recent authentication, then removes the factor and its recovery codes", async () => {
    const w = await world();
    const { email, tokens, secret } = await userWithTotp(w);
    w.clock.advance(11 * MINUTE);
    const remove = () => w.send(`${w.tenant.base}/me/mfa/totp`, { method: "DELETE", token: tokens.access_token });
    await expectProblem(await remove(), 403, "step_up_required");
    expect((await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { password: STRONG_PASSWORD } })).status).toBe(200);
    expect((await remove()).status).toBe(204);
    await expectProblem(await remove(), 404, "not_found");
    expect(await json(await w.send(`${w.tenant.base}/me/mfa`, { token: tokens.access_token }))).toMatchObject({
      totp: { status: "none" },
      recovery_codes_remaining: 0,
    });
    const signedIn = await json<MfaTokenBody>(await postSignIn(w, email));
    expect(jwtPayload(signedIn.access_token).amr).toEqual(["pwd"]);
    expect(secret).toBeTruthy();
    const types = (await auditEvents(w)).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["mfa.totp_enrolled", "mfa.totp_disabled", "session.stepped_up"]));
  });
});
