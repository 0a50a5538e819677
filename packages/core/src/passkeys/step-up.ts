import type { AuthenticationCredential } from "@plinto/contracts";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Authenticated } from "../sessions/authenticate";
import { enforceRateLimit } from "../sessions/rate-limits";
import { type AssertionFlow, startPasskeyAuthentication, verifyPasskeyAssertion } from "./authentication";
import { passkeyAmr } from "./sign-in";

/** The ceremony belongs to this user and this session only: a challenge of another session, user or flow is refused. */
const stepUpFlow = (auth: Authenticated): AssertionFlow => ({ kind: "step_up", userId: auth.user.id, sessionId: auth.session.id });

/**
 * Request options for stepping up the current session with a passkey (RFC
 * 9470 re-authentication, WebAuthn Level 3 §5.5): allowCredentials lists the
 * user's passkeys. Each ceremony spends one token of the user's `step_up:account`
 * bucket, the one password re-checks use; as every assertion must consume a
 * challenge issued here, that bounds passkey step-up attempts too.
 */
export async function startPasskeyStepUp(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  await enforceRateLimit(deps, scope, "step_up:account", auth.user.id, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_account,
    windowSeconds: 60,
  });
  const passkeys = await deps.storage.passkeys.listForUser(scope.tenant.id, auth.user.id);
  if (passkeys.length === 0) throw new PlintoError("not_found", { detail: "this account has no passkey" });
  return startPasskeyAuthentication(deps, scope, stepUpFlow(auth), passkeys);
}

/**
 * Checks an assertion for a step-up: the challenge must have been issued by
 * `startPasskeyStepUp` to this session, and the passkey must be the user's
 * (§7.2 step 6). Returns the RFC 8176 methods it shows: "hwk", and "user"
 * when the authenticator verified the user.
 */
export async function provePasskeyStepUp(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  response: AuthenticationCredential,
): Promise<string[]> {
  const { userVerified } = await verifyPasskeyAssertion(deps, scope, stepUpFlow(auth), response);
  return passkeyAmr(userVerified);
}
