import type { AuthenticationCredential, RegistrationCredential } from "@plinto/contracts";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";

/**
 * Validated wire credentials as @simplewebauthn/server takes them. Browsers
 * may send `null` for absent members (authenticatorAttachment, userHandle);
 * client extension outputs are not passed on, as Plinto requests no
 * extensions (WebAuthn Level 3 §7.1 and §7.2 check only requested ones).
 */
export const registrationJSON = (credential: RegistrationCredential): RegistrationResponseJSON => ({
  id: credential.id,
  rawId: credential.rawId,
  type: credential.type,
  response: credential.response,
  authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
  clientExtensionResults: {},
});

export const authenticationJSON = (credential: AuthenticationCredential): AuthenticationResponseJSON => ({
  id: credential.id,
  rawId: credential.rawId,
  type: credential.type,
  response: {
    clientDataJSON: credential.response.clientDataJSON,
    authenticatorData: credential.response.authenticatorData,
    signature: credential.response.signature,
    userHandle: credential.response.userHandle ?? undefined,
  },
  authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
  clientExtensionResults: {},
});
