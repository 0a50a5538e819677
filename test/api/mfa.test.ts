import { describe, expect, it } from "vitest";
import { jwtPayload } from "./admin-helpers";
import { expectProblem, json } from "./helpers";
import {
  answerChallenge,
  auditEvents,
  codeAt,
  type EnrollmentBody,
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

const MINUTE = 60_000;

describe("TOTP enrolment (/me/mfa/totp)", () => {
  it("returns secret, otpauth URI and SVG QR; activates only with a right code; shows recovery codes once", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    const me = (path: string, options: Record<string, unknown> = {}) =>
      w.send(`${w.tenant.base}/me/mfa${path}`, { token: tokens.access_token, ...options });

    const started = await me("/totp", { method: "POST" });
    expect(started.status).toBe(201);
    expect(started.headers.get("Cache-Control")).toBe("no-store");
    const enrollment = await json<EnrollmentBody>(started);
    expect(enrollment).toMatchObject({ algorithm: "SHA1", digits: 6, period: 30 });
    expect(enrollment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(enrollment.otpauth_uri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(enrollment.secret);
    expect(enrollment.qr_svg).toMatch(/^<svg[\s\S]*<\/svg>$/);

    // Pending: GET says so and shows no secret.
    const pending = await me("");
    expect(await json(pending)).toEqual({ totp: { status: "pending" }, recovery_codes_remaining: 0, passkeys: 0, required: false });

    const wrong = await me("/totp/activate", { body: { code: wrongCode(enrollment.secret, w.clock.now()) } });
    await expectProblem(wrong, 401, "invalid_code");
    await expectProblem(await me("/totp/activate", { body: { code: "12345" } }), 400, "validation_failed");

    const activated = await me("/totp/activate", { body: { code: codeAt(enrollment.secret, w.clock.now()) } });
    expect(activated.status).toBe(200);
    const { recovery_codes } = await json<{ recovery_codes: string[] }>(activated);
    expect(recovery_codes).toHaveLength(10);
    expect(new Set(recovery_codes).size).toBe(10);
    for (const code of recovery_codes) expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const summary = await me("");
    const text = await summary.text();
    expect(JSON.parse(text)).toEqual({ totp: { status: "active" }, recovery_codes_remaining: 10, passkeys: 0, required: false });
    expect(text).not.toContain(enrollment.secret);
    for (const code of recovery_codes) expect(text).not.toContain(code);

    await expectProblem(await me("/totp", { method: "POST" }), 409, "mfa_already_enrolled");
    await expectProblem(await me("/totp/activate", { body: { code: nextCode(w, enrollment.secret) } }), 409, "mfa_already_enrolled");
  });

  it("a restarted enrolment replaces the pending secret: the first one no longer activates", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    const start = async () => json<EnrollmentBody>(await w.send(`${w.tenant.base}/me/mfa/totp`, { method: "POST", token: tokens.access_token }));
    const first = await start();
    const second = await start();
    expect(second.secret).not.toBe(first.secret);
    const activate = (code: string) => w.send(`${w.tenant.base}/me/mfa/totp/activate`, { token: tokens.access_token, body: { code } });
    const stale = codeAt(first.secret, w.clock.now());
    if (stale !== codeAt(second.secret, w.clock.now())) await expectProblem(await activate(stale), 401, "invalid_code");
    expect((await activate(codeAt(second.secret, w.clock.now()))).status).toBe(200);
  });

  it("activation without an enrolment in progress is 404", async () => {
    const w = await world();
    const { tokens } = await signUpUser(w);
    const response = await w.send(`${w.tenant.base}/me/mfa/totp/activate`, { token: tokens.access_token, body: { code: "123456" } });
    await expectProblem(response, 404, "not_found");
  });
});

describe("sign-in with TOTP (POST /sessions then /sessions/mfa)", () => {
  it("asks for the second factor, refuses a wrong code, signs in with the right one (amr pwd otp mfa)", async () => {
    const w = await world();
    const { email, secret } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    expect(challenge).toMatchObject({ factors: ["totp", "recovery_code"], enrollment_required: false, expires_in: 300 });
    expect(challenge).not.toHaveProperty("access_token");

    w.clock.advance(STEP_MS);
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: wrongCode(secret, w.clock.now()) }), 401, "invalid_code");
    const code = codeAt(secret, w.clock.now());
    const signedIn = await answerChallenge(w, { mfa_token: challenge.mfa_token, code });
    expect(signedIn.status).toBe(200);
    const tokens = await json<MfaTokenBody>(signedIn);
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.recovery_codes).toBeUndefined();
    expect(jwtPayload(tokens.access_token).amr).toEqual(["pwd", "otp", "mfa"]);
    expect((await w.send(`${w.tenant.base}/me`, { token: tokens.access_token })).status).toBe(200);

    // The mfa_token is spent.
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code }), 401, "invalid_mfa_token");
    // Replay: the same code on a fresh challenge, still inside its step, is refused (RFC 6238 §5.2).
    const again = await signInToChallenge(w, email);
    await expectProblem(await answerChallenge(w, { mfa_token: again.mfa_token, code }), 401, "invalid_code");
    // So is an older step's code, even inside the ±1 window.
    await expectProblem(await answerChallenge(w, { mfa_token: again.mfa_token, code: codeAt(secret, w.clock.now(), -1) }), 401, "invalid_code");
    // The next step's code works.
    expect((await answerChallenge(w, { mfa_token: again.mfa_token, code: nextCode(w, secret) })).status).toBe(200);
  });

  it("accepts one step of clock drift either way", async () => {
    const w = await world();
    const { email, secret } = await userWithTotp(w);
    w.clock.advance(5 * STEP_MS);
    const behind = await signInToChallenge(w, email);
    expect((await answerChallenge(w, { mfa_token: behind.mfa_token, code: codeAt(secret, w.clock.now(), -1) })).status).toBe(200);
    const ahead = await signInToChallenge(w, email);
    expect((await answerChallenge(w, { mfa_token: ahead.mfa_token, code: codeAt(secret, w.clock.now(), 1) })).status).toBe(200);
    const far = await signInToChallenge(w, email);
    w.clock.advance(5 * STEP_MS);
    const farCode = codeAt(secret, w.clock.now(), 2);
    if (![-1, 0, 1].some((offset) => codeAt(secret, w.clock.now(), offset) === farCode)) {
      await expectProblem(await answerChallenge(w, { mfa_token: far.mfa_token, code: farCode }), 401, "invalid_code");
    }
  });

  it("an expired challenge (after 5 minutes) is refused even with a right code", async () => {
    const w = await world();
    const { email, secret } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    w.clock.advance(5 * MINUTE + 1_000);
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: codeAt(secret, w.clock.now()) }), 401, "invalid_mfa_token");
  });

  it("brute force: after code_attempts wrong codes the challenge is void (429), even for the right code", async () => {
    const w = await world();
    const { email, secret } = await userWithTotp(w);
    const challenge = await signInToChallenge(w, email);
    w.clock.advance(STEP_MS);
    const bad = wrongCode(secret, w.clock.now());
    for (let attempt = 1; attempt < 5; attempt++) {
      await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: bad }), 401, "invalid_code");
    }
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: bad }), 429, "too_many_attempts");
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: codeAt(secret, w.clock.now()) }), 429, "too_many_attempts");
    await expectProblem(await answerChallenge(w, { mfa_token: challenge.mfa_token, code: codeAt(secret, w.clock.now()) }), 401, "invalid_mfa_token");
    const failures = (await auditEvents(w)).filter((event) => event.type === "mfa.challenge_failed");
    expect(failures).toHaveLength(5);
  });

  it("garbage and malformed tokens are refused without a session", async () => {
    const w = await world();
    await expectProblem(await answerChallenge(w, { mfa_token: "not-a-token", code: "123456" }), 401, "invalid_mfa_token");
    await expectProblem(await answerChallenge(w, { mfa_token: "x", code: "123456", recovery_code: "AAAA-BBBB-CCCC" }), 400, "validation_failed");
    await expectProblem(await answerChallenge(w, { mfa_token: "x" }), 400, "validation_failed");
  });

  it("a user without a factor under the optional policy signs in directly", async () => {
    const w = await world();
    const { email } = await signUpUser(w);
    const response = await postSignIn(w, email);
    const body = await json<MfaTokenBody>(response);
    expect(body.access_token).toBeDefined();
    expect(jwtPayload(body.access_token).amr).toEqual(["pwd"]);
  });
});
