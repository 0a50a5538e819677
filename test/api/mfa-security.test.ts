import { describe, expect, it, vi } from "vitest";
import { jwtPayload } from "./admin-helpers";
import { expectProblem, json } from "./helpers";
import {
  answerChallenge,
  auditEvents,
  codeAt,
  type MfaTokenBody,
  nextCode,
  postSignIn,
  signInToChallenge,
  signUpUser,
  STEP_MS,
  userWithTotp,
  world,
  wrongCode,
} from "./mfa-helpers";

describe("secrets stay secret; tenants stay apart", () => {
  it("no TOTP secret, recovery code or mfa_token appears in audit data", async () => {
    const w = await world();
    const { email, secret, recoveryCodes, tokens } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    await answerChallenge(w, { mfa_token: challenge.mfa_token, code: wrongCode(secret, w.clock.now()) });
    await answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: recoveryCodes[1] ?? "" });
    const stepUp = await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { recovery_code: recoveryCodes[2] ?? "" } });
    expect(stepUp.status).toBe(200);
    const audit = JSON.stringify(await auditEvents(w));
    expect(audit).toContain("mfa.totp_enrolled");
    for (const value of [secret, challenge.mfa_token, ...recoveryCodes, ...recoveryCodes.map((code) => code.replace(/-/g, ""))]) {
      expect(audit).not.toContain(value);
    }
  });

  it("a challenge of tenant A is unknown in tenant B, and B's same-named user has no factor", async () => {
    const a = await world();
    const { email, secret } = await userWithTotp(a);
    const challenge = await signInToChallenge(a, email);
    const b = await world();
    const sameEmail = await signUpUser(b, email);
    expect(sameEmail.tokens.access_token).toBeDefined();
    const code = codeAt(secret, a.clock.now() + STEP_MS);
    b.clock.advance(STEP_MS);
    await expectProblem(await answerChallenge(b, { mfa_token: challenge.mfa_token, code }), 401, "invalid_mfa_token");
    // In B the user signs in with the password alone: A's factor does not exist there.
    const inB = await json<MfaTokenBody>(await postSignIn(b, email));
    expect(jwtPayload(inB.access_token).amr).toEqual(["pwd"]);
    // A's challenge survived the attempt in B.
    a.clock.advance(STEP_MS);
    expect((await answerChallenge(a, { mfa_token: challenge.mfa_token, code: codeAt(secret, a.clock.now()) })).status).toBe(200);
  });
});

describe("races", () => {
  it("the same TOTP code answered on two challenges at once signs in exactly once", async () => {
    const w = await world();
    const { email, secret } = await userWithTotp(w);
    const [a, b] = await Promise.all([signInToChallenge(w, email), signInToChallenge(w, email)]);
    const code = nextCode(w, secret);
    const answers = await Promise.all([a, b].map((challenge) => answerChallenge(w, { mfa_token: challenge.mfa_token, code })));
    expect(answers.map((response) => response.status).sort()).toEqual([200, 401]);
  });

  it("the same recovery code raced on two challenges signs in exactly once", async () => {
    const w = await world();
    const { email, recoveryCodes } = await userWithTotp(w);
    const [a, b] = await Promise.all([signInToChallenge(w, email), signInToChallenge(w, email)]);
    const code = recoveryCodes[3] ?? "";
    const answers = await Promise.all([a, b].map((challenge) => answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: code })));
    expect(answers.map((response) => response.status).sort()).toEqual([200, 401]);
  });

  it("one mfa_token answered twice at once opens one session", async () => {
    const w = await world();
    const { email, recoveryCodes } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    const answers = await Promise.all(
      [recoveryCodes[4], recoveryCodes[5]].map((code) => answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: code ?? "" })),
    );
    expect(answers.map((response) => response.status).sort()).toEqual([200, 401]);
  });
});

describe("logs", () => {
  it("nothing the worker logs during enrolment, sign-in and step-up carries the secret, a code or the mfa_token", async () => {
    const lines: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      }),
    );
    try {
      const w = await world();
      const { email, secret, recoveryCodes, tokens } = await userWithTotp(w);
      const challenge = await signInToChallenge(w, email);
      await answerChallenge(w, { mfa_token: challenge.mfa_token, code: wrongCode(secret, w.clock.now()) });
      await answerChallenge(w, { mfa_token: challenge.mfa_token, recovery_code: recoveryCodes[0] ?? "" });
      await w.send(`${w.tenant.base}/me/step-up`, { token: tokens.access_token, body: { code: nextCode(w, secret) } });
      const logged = lines.join("\n");
      for (const value of [secret, challenge.mfa_token, ...recoveryCodes]) expect(logged).not.toContain(value);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
