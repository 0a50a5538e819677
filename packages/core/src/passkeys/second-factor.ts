import type { AuthenticationCredential } from "@plinto/contracts";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { completeMfaChallenge, type MfaChallenge, useMfaChallenge } from "../mfa/mfa-challenge";
import { startPasskeyAuthentication, verifyPasskeyAssertion } from "./authentication";
import { passkeyAmr } from "./sign-in";

/**
 * Request options for answering an MFA challenge with a passkey (WebAuthn
 * Level 3 §5.5): allowCredentials lists the challenge user's passkeys, and
 * the WebAuthn challenge is stored for that user and that MFA challenge only.
 * Asking counts as one attempt against the MFA challenge, which bounds how
 * many WebAuthn challenges one mfa_token can create.
 */
export async function startPasskeyMfa(
  deps: CoreDeps,
  scope: TenantScope,
  mfaToken: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { user, challenge, row } = await useMfaChallenge(deps, scope, mfaToken);
  const passkeys = await deps.storage.passkeys.listForUser(scope.tenant.id, user.id);
  if (passkeys.length === 0) throw new PlintoError("not_found", { detail: "this account has no passkey" });
  const flow = { kind: "mfa", userId: user.id, mfaChallengeId: row.id } as const;
  return startPasskeyAuthentication(deps, scope, flow, passkeys, firstFactorWasKey(challenge) ? "required" : null);
}

/**
 * A passkey without user verification signed in first: the same possession
 * factor again proves nothing new, so the second passkey ceremony must verify
 * the user (then it stands as knowledge or inherence, RFC 8176 "user").
 */
const firstFactorWasKey = (challenge: MfaChallenge): boolean => challenge.amr.includes("hwk");

/**
 * Completes an MFA challenge with an assertion from one of the challenge
 * user's passkeys (§7.2 step 6: a passkey of another account is refused).
 * The session's amr gains "hwk" (RFC 8176 §2), "user" when the
 * authenticator verified the user, and "mfa".
 */
export async function completePasskeyMfa(
  deps: CoreDeps,
  scope: TenantScope,
  mfaToken: string,
  response: AuthenticationCredential,
) {
  const mfaChallengeId = await sha256(mfaToken);
  return completeMfaChallenge(deps, scope, mfaToken, async (user, challenge) => {
    const { userVerified } = await verifyPasskeyAssertion(deps, scope, { kind: "mfa", userId: user.id, mfaChallengeId }, response);
    if (firstFactorWasKey(challenge) && !userVerified) {
      throw new PlintoError("webauthn_verification_failed", { detail: "user verification is required after a passkey sign-in" });
    }
    return { amr: passkeyAmr(userVerified) };
  });
}
