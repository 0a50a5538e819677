import type { AuthenticationCredential } from "@plinto/contracts";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { completeFirstFactor, type SignInResult } from "../sessions/complete-sign-in";
import { verifyPasskeyAssertion } from "./authentication";

/**
 * Usernameless sign-in with a discoverable credential (WebAuthn Level 3
 * §7.2): the credential found in the tenant names the user. amr (RFC 8176
 * §2): "hwk" for proof of possession of the authenticator's key, plus "user"
 * when the authenticator verified the user (UV flag); such a passkey already
 * proves two factors, so no MFA challenge follows.
 */
export async function signInWithPasskey(
  deps: CoreDeps,
  scope: TenantScope,
  response: AuthenticationCredential,
): Promise<SignInResult> {
  const { passkey, userVerified } = await verifyPasskeyAssertion(deps, scope, { kind: "sign_in" }, response);
  const user = await deps.storage.users.getById(scope.tenant.id, passkey.userId);
  if (!user) throw new PlintoError("webauthn_verification_failed", { detail: "this passkey is not registered" });
  return completeFirstFactor(deps, scope, user, { amr: passkeyAmr(userVerified), satisfiesMfa: userVerified });
}

export const passkeyAmr = (userVerified: boolean): string[] => (userVerified ? ["hwk", "user"] : ["hwk"]);
