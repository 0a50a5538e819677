import type { RegistrationCredential } from "@plinto/contracts";
import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON, verifyRegistrationResponse } from "@simplewebauthn/server";
import { recordAuditEvent } from "../audit/record-audit-event";
import { fromBase64url, toBase64url } from "../crypto/encoding";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { CHALLENGE_TTL_MS } from "../one-time/one-time-secrets";
import type { Passkey } from "../ports/passkey-repository";
import type { Authenticated } from "../sessions/authenticate";
import { consumeChallenge, storeChallenge } from "./challenges";
import { registrationJSON } from "./credential-json";
import { relyingParty, SUPPORTED_ALGORITHMS, userHandle } from "./relying-party";
import { verificationFailed } from "./verification-error";

/** Bounds the rows one account can create. */
export const MAX_PASSKEYS_PER_USER = 25;

const NO_AAGUID = "00000000-0000-0000-0000-000000000000";

/**
 * Creation options for a new passkey of the signed-in user (WebAuthn Level 3
 * §5.4): a discoverable credential (residentKey "required", §5.4.6) so it
 * can sign in without a username, attestation "none" (§5.4.7), the user's
 * existing credentials excluded (§5.4 excludeCredentials) so one
 * authenticator is not registered twice.
 */
export async function startPasskeyRegistration(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(scope);
  const existing = await deps.storage.passkeys.listForUser(scope.tenant.id, auth.user.id);
  if (existing.length >= MAX_PASSKEYS_PER_USER) {
    throw new PlintoError("conflict", { detail: `an account can have at most ${MAX_PASSKEYS_PER_USER} passkeys` });
  }
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: await userHandle(scope.tenant.id, auth.user.id),
    userName: auth.user.email,
    userDisplayName: auth.user.name ?? auth.user.email,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: rp.userVerification },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  await storeChallenge(deps, scope, "webauthn_registration", options.challenge, auth.user.id);
  return options;
}

export interface FinishRegistrationInput {
  response: RegistrationCredential;
  name?: string | undefined;
}

/**
 * Registers a credential (WebAuthn Level 3 §7.1): the challenge is consumed
 * once and must have been issued to this user; @simplewebauthn/server checks
 * type, challenge, origin (step 9), RP ID hash (step 14), UP/UV flags (steps
 * 15-17), algorithm (step 20) and the attestation statement (steps 21-24);
 * a credential ID already registered in the tenant is refused (step 26).
 */
export async function finishPasskeyRegistration(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  input: FinishRegistrationInput,
): Promise<Passkey> {
  const rp = relyingParty(scope);
  const { challenge, row } = await consumeChallenge(deps, scope, "webauthn_registration", input.response.response.clientDataJSON);
  if (row.subject !== auth.user.id) throw new PlintoError("invalid_challenge", { detail: "the challenge was issued to another user" });
  const verification = await verifyRegistrationResponse({
    response: registrationJSON(input.response),
    expectedChallenge: challenge,
    expectedOrigin: rp.origins,
    expectedRPID: rp.id,
    requireUserVerification: rp.userVerification === "required",
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  }).catch((error: unknown) => {
    throw verificationFailed(error);
  });
  if (!verification.verified) throw new PlintoError("webauthn_verification_failed", { detail: "attestation could not be verified" });
  const info = verification.registrationInfo;
  // §7.1: the credential ID in authData is at most 1023 bytes, and is the one the client reported as rawId.
  if (fromBase64url(info.credential.id).length > 1023 || info.credential.id !== input.response.rawId) {
    throw new PlintoError("webauthn_verification_failed", { detail: "the credential ID in authenticator data does not match rawId" });
  }
  const passkey: Passkey = {
    id: deps.ids.newId("pk"),
    tenantId: scope.tenant.id,
    userId: auth.user.id,
    credentialId: info.credential.id,
    publicKey: toBase64url(info.credential.publicKey),
    counter: info.credential.counter,
    transports: input.response.response.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    aaguid: info.aaguid === NO_AAGUID ? null : info.aaguid,
    name: input.name ?? "Passkey",
    createdAt: deps.clock.now(),
    lastUsedAt: null,
  };
  await deps.storage.passkeys.insert(passkey);
  await recordAuditEvent(deps, scope, {
    type: "passkey.registered",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { passkey_id: passkey.id, device_type: passkey.deviceType, backed_up: passkey.backedUp, user_verified: info.userVerified },
  });
  return passkey;
}
