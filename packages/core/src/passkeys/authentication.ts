import type { AuthenticationCredential } from "@plinto/contracts";
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
} from "@simplewebauthn/server";
import { recordAuditEvent } from "../audit/record-audit-event";
import { fromBase64url } from "../crypto/encoding";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { CHALLENGE_TTL_MS } from "../one-time/one-time-secrets";
import type { OneTimeToken } from "../ports/one-time-tokens";
import type { Passkey } from "../ports/passkey-repository";
import { consumeChallenge, storeChallenge } from "./challenges";
import { authenticationJSON } from "./credential-json";
import { relyingParty, userHandleText } from "./relying-party";
import { verificationFailed } from "./verification-error";

/**
 * Why a ceremony runs: a first-factor sign-in (no user known yet), a second
 * factor for the user of one MFA challenge (its one-time row id), or a
 * step-up (RFC 9470) of one signed-in user's session.
 */
export type AssertionFlow =
  | { kind: "sign_in" }
  | { kind: "mfa"; userId: string; mfaChallengeId: string }
  | { kind: "step_up"; userId: string; sessionId: string };

const subjectOf = (flow: AssertionFlow): string | null => (flow.kind === "sign_in" ? null : flow.userId);
const dataOf = (flow: AssertionFlow): Record<string, unknown> => {
  switch (flow.kind) {
    case "sign_in":
      return { flow: flow.kind };
    case "mfa":
      return { flow: flow.kind, mfa_challenge: flow.mfaChallengeId };
    case "step_up":
      return { flow: flow.kind, session_id: flow.sessionId };
  }
};
/** The stored challenge was issued for exactly this flow (same kind, user, and MFA challenge or session). */
const issuedFor = (row: OneTimeToken, flow: AssertionFlow): boolean => {
  const expected = dataOf(flow);
  return row.subject === subjectOf(flow) && Object.entries(expected).every(([key, value]) => row.data[key] === value);
};

/**
 * Request options (WebAuthn Level 3 §5.5). For a sign-in allowCredentials is
 * empty, so the authenticator offers its discoverable credentials for this
 * RP ID (usernameless, §5.4.6); for a second factor it lists the user's
 * passkeys, and the challenge is stored with that user as its subject.
 */
export async function startPasskeyAuthentication(
  deps: CoreDeps,
  scope: TenantScope,
  flow: AssertionFlow,
  allowCredentials: Passkey[] = [],
  userVerification: "required" | null = null,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty(scope);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allowCredentials.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    userVerification: userVerification ?? rp.userVerification,
    timeout: CHALLENGE_TTL_MS,
  });
  await storeChallenge(deps, scope, "webauthn_authentication", options.challenge, subjectOf(flow), dataOf(flow));
  return options;
}

export interface VerifiedAssertion {
  passkey: Passkey;
  /** The UV flag (§6.1): the authenticator verified the user (PIN, biometrics). */
  userVerified: boolean;
}

/**
 * Verifies an assertion (WebAuthn Level 3 §7.2): the challenge is consumed
 * once and must belong to this flow; the credential is looked up within the
 * tenant and must belong to the expected user (step 6, including
 * userHandle); @simplewebauthn/server checks type, challenge, origin, RP ID
 * hash, UP/UV and the signature; then backup eligibility must be unchanged
 * (step 18) and the signature counter must move forward (step 22).
 */
export async function verifyPasskeyAssertion(
  deps: CoreDeps,
  scope: TenantScope,
  flow: AssertionFlow,
  credential: AuthenticationCredential,
): Promise<VerifiedAssertion> {
  const response = authenticationJSON(credential);
  const { challenge, row } = await consumeChallenge(deps, scope, "webauthn_authentication", response.response.clientDataJSON);
  if (!issuedFor(row, flow)) {
    throw new PlintoError("invalid_challenge", { detail: "the challenge was issued for another ceremony" });
  }
  const passkey = await deps.storage.passkeys.getByCredentialId(scope.tenant.id, response.rawId);
  if (!passkey) return refuse(deps, scope, null, "unknown_credential", "this passkey is not registered");
  await checkOwner(deps, scope, flow, passkey, response.response.userHandle);

  const rp = relyingParty(scope);
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: rp.origins,
    expectedRPID: rp.id,
    // The counter is checked below, after the signature, so only a genuinely signed assertion can report a clone.
    credential: { id: passkey.credentialId, publicKey: fromBase64url(passkey.publicKey), counter: 0, transports: passkey.transports },
    requireUserVerification: rp.userVerification === "required",
  }).catch(async (error: unknown) => {
    const failure = verificationFailed(error);
    await audit(deps, scope, passkey, "passkey.sign_in_failed", { reason: "verification_failed", detail: failure.message });
    throw failure;
  });
  if (!verification.verified) return refuse(deps, scope, passkey, "bad_signature", "the signature does not verify");
  const info = verification.authenticationInfo;

  // §7.2 step 18: backup eligibility (BE) is fixed when the credential is created; a change means another authenticator.
  if (info.credentialDeviceType !== passkey.deviceType) {
    return refuse(deps, scope, passkey, "backup_eligibility_changed", "the backup eligibility flag changed");
  }
  const usedAt = deps.clock.now();
  if (!(await deps.storage.passkeys.recordUse(scope.tenant.id, passkey.id, { counter: info.newCounter, backedUp: info.credentialBackedUp, usedAt }))) {
    // §7.2 step 22: a counter that does not increase signals a possibly cloned authenticator: refuse and audit.
    await audit(deps, scope, passkey, "passkey.counter_regressed", { stored_counter: passkey.counter, received_counter: info.newCounter });
    throw new PlintoError("webauthn_verification_failed", { detail: "the signature counter did not increase; the authenticator may be cloned" });
  }
  return {
    passkey: { ...passkey, counter: info.newCounter, backedUp: info.credentialBackedUp, lastUsedAt: usedAt },
    userVerified: info.userVerified,
  };
}

/**
 * §7.2 step 6. A known user (second factor, step-up) must own the credential, and a
 * userHandle, when sent, must be theirs. Without a known user (usernameless
 * sign-in) the userHandle is required and must be the credential owner's.
 */
async function checkOwner(
  deps: CoreDeps,
  scope: TenantScope,
  flow: AssertionFlow,
  passkey: Passkey,
  handle: string | undefined,
): Promise<void> {
  if (flow.kind !== "sign_in" && passkey.userId !== flow.userId) {
    await refuse(deps, scope, passkey, "credential_of_another_user", "this passkey belongs to another account", flow.userId);
  }
  if (flow.kind === "sign_in" && !handle) {
    await refuse(deps, scope, passkey, "missing_user_handle", "a discoverable credential must return its user handle");
  }
  if (handle && handle !== (await userHandleText(scope.tenant.id, passkey.userId))) {
    await refuse(deps, scope, passkey, "user_handle_mismatch", "the user handle does not match the passkey's account");
  }
}

async function refuse(
  deps: CoreDeps,
  scope: TenantScope,
  passkey: Passkey | null,
  reason: string,
  detail: string,
  subjectId = passkey?.userId ?? null,
): Promise<never> {
  await recordAuditEvent(deps, scope, {
    type: "passkey.sign_in_failed",
    actor: { type: "anonymous" },
    subjectId,
    data: { reason, ...(passkey ? { passkey_id: passkey.id } : {}) },
  });
  throw new PlintoError("webauthn_verification_failed", { detail });
}

const audit = (
  deps: CoreDeps,
  scope: TenantScope,
  passkey: Passkey,
  type: "passkey.sign_in_failed" | "passkey.counter_regressed",
  data: Record<string, unknown>,
) => recordAuditEvent(deps, scope, { type, actor: { type: "anonymous" }, subjectId: passkey.userId, data: { passkey_id: passkey.id, ...data } });
