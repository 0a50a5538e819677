import { describe, expect, it } from "vitest";
import { jwtPayload } from "./admin-helpers";
import { expectProblem, json, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { answerChallenge, auditEvents, codeAt, nextCode, patchTenantSettings, signInToChallenge, signUpUser, userWithTotp, world } from "./mfa-helpers";

const NEW_PASSWORD = "a brand new passphrase 2027";
const MINUTE = 60_000;

interface StepUpBody {
  session_id: string;
  verified_at: string;
  amr: string[];
  max_age: number;
}

describe("step-up (RFC 9470) for sensitive actions", () => {
  it("an old sign-in cannot change the password (403 + insufficient_user_authentication challenge) until it steps up", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    const change = () =>
      w.send(`${w.tenant.base}/me/password`, { token: tokens.access_token, body: { current_password: STRONG_PASSWORD, new_password: NEW_PASSWORD } });

    w.clock.advance(10 * MINUTE + 1_000);
    const refused = await change();
    const challenge = refused.headers.get("WWW-Authenticate") ?? "";
    await expectProblem(refused, 403, "step_up_required");
    expect(challenge).toMatch(/^Bearer /);
    expect(challenge).toContain('error="insufficient_user_authentication"');
    expect(challenge).toContain('max_age="600"');

    await expectProblem(await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { password: "wrong password entirely" } }), 401, "invalid_credentials");
    const stepped = await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { password: STRONG_PASSWORD } });
    expect(stepped.status).toBe(200);
    const body = await json<StepUpBody>(stepped);
    expect(body).toMatchObject({ session_id: tokens.session_id, amr: ["pwd"], max_age: 600 });
    expect(Date.parse(body.verified_at)).toBe(w.clock.now());

    expect((await change()).status).toBe(200);
    const types = (await auditEvents(w)).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["session.step_up_failed", "session.stepped_up", "user.password_changed"]));
  });

  it("the window follows the tenant's step_up_max_age_seconds", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    await patchTenantSettings(w, { mfa: { step_up_max_age_seconds: 60 } });
    w.clock.advance(61_000);
    const refused = await w.send(`${w.tenant.base}/me/password`, {
      token: tokens.access_token,
      body: { current_password: STRONG_PASSWORD, new_password: NEW_PASSWORD },
    });
    await expectProblem(refused, 403, "step_up_required");
    expect(refused.headers.get("WWW-Authenticate")).toContain('max_age="60"');
  });

  it("steps up with a TOTP code (amr gains otp; refreshed tokens carry it) and with a recovery code (once)", async () => {
    const w = await world();
    const { email, secret, recoveryCodes } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    const signedIn = await json<TokenBody>(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: nextCode(w, secret) }));
    w.clock.advance(11 * MINUTE);

    const viaTotp = await w.send(`${w.tenant.base}/me/step-up`, { token: signedIn.access_token, body: { code: nextCode(w, secret) } });
    expect(viaTotp.status).toBe(200);
    expect((await json<StepUpBody>(viaTotp)).amr).toEqual(["pwd", "otp", "mfa"]);
    // A replayed code does not step up again.
    const replay = await w.send(`${w.tenant.base}/me/step-up`, { token: signedIn.access_token, body: { code: codeAt(secret, w.clock.now()) } });
    await expectProblem(replay, 401, "invalid_code");

    const code = recoveryCodes[0] ?? "";
    expect((await w.send(`${w.tenant.base}/me/step-up`, { token: signedIn.access_token, body: { recovery_code: code } })).status).toBe(200);
    await expectProblem(await w.send(`${w.tenant.base}/me/step-up`, { token: signedIn.access_token, body: { recovery_code: code } }), 401, "invalid_code");

    const refreshed = await json<TokenBody>(await w.send(`${w.tenant.base}/sessions/refresh`, { body: { refresh_token: signedIn.refresh_token } }));
    expect(jwtPayload(refreshed.access_token).amr).toEqual(["pwd", "otp", "mfa"]);
  });

  it("a TOTP step-up needs an active factor; bodies must name exactly one proof", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    const post = (body: unknown) => w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body });
    await expectProblem(await post({ code: "123456" }), 401, "invalid_code");
    await expectProblem(await post({}), 400, "validation_failed");
    await expectProblem(await post({ password: STRONG_PASSWORD, code: "123456" }), 400, "validation_failed");
    await expectProblem(await w.send(`${w.tenant.base}/me/step-up`, { body: { password: STRONG_PASSWORD } }), 401, "unauthorized");
  });
});
