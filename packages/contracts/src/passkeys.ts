import { z } from "zod";
import { timestamp } from "./common";

/**
 * WebAuthn Level 3 wire shapes. Binary fields travel as base64url without
 * padding, as in the JSON serialisations of §5.1.8/§5.1.9
 * (RegistrationResponseJSON, AuthenticationResponseJSON, produced by
 * `PublicKeyCredential.toJSON()` and @simplewebauthn/browser).
 */
const base64url = (maxChars: number) =>
  z.string().max(maxChars).regex(/^[A-Za-z0-9_-]*$/, "must be base64url without padding");

/** §5.1.3: a credential ID is at most 1023 bytes (1364 base64url characters). */
const credentialId = base64url(1_364).min(1);

const transportsSchema = z.array(z.string().max(32)).max(10).describe("AuthenticatorTransport values (§5.8.4)");

/** RegistrationResponseJSON (§5.1.8), the result of `navigator.credentials.create()`. */
export const registrationCredentialSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(8_192).min(1),
    attestationObject: base64url(48_000).min(1),
    authenticatorData: base64url(16_384).optional(),
    transports: transportsSchema.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(8_192).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).nullish(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type RegistrationCredential = z.infer<typeof registrationCredentialSchema>;

/** AuthenticationResponseJSON (§5.1.9), the result of `navigator.credentials.get()`. */
export const authenticationCredentialSchema = z.object({
  id: credentialId,
  rawId: credentialId,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url(8_192).min(1),
    authenticatorData: base64url(16_384).min(37),
    signature: base64url(8_192).min(1),
    /** §5.4.3: a user handle is at most 64 bytes. */
    userHandle: base64url(86).nullish(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).nullish(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type AuthenticationCredential = z.infer<typeof authenticationCredentialSchema>;

const credentialDescriptorSchema = z.object({
  id: z.string(),
  type: z.string().describe("\"public-key\""),
  transports: z.array(z.string()).optional(),
});

/** PublicKeyCredentialCreationOptionsJSON (§5.4): pass to `PublicKeyCredential.parseCreationOptionsFromJSON`. */
export const registrationOptionsSchema = z.object({
  rp: z.object({ id: z.string().optional(), name: z.string() }),
  user: z.object({ id: z.string(), name: z.string(), displayName: z.string() }),
  challenge: z.string(),
  pubKeyCredParams: z.array(z.object({ type: z.string(), alg: z.number() })),
  timeout: z.number().int().optional(),
  excludeCredentials: z.array(credentialDescriptorSchema).optional(),
  authenticatorSelection: z.record(z.string(), z.unknown()).optional(),
  attestation: z.string().optional(),
});

/** PublicKeyCredentialRequestOptionsJSON (§5.5): pass to `PublicKeyCredential.parseRequestOptionsFromJSON`. */
export const authenticationOptionsSchema = z.object({
  challenge: z.string(),
  timeout: z.number().int().optional(),
  rpId: z.string().optional(),
  allowCredentials: z.array(credentialDescriptorSchema).optional(),
  userVerification: z.string().optional(),
});

const passkeyName = z.string().trim().min(1).max(100);

export const registerPasskeyRequestSchema = z.object({
  response: registrationCredentialSchema,
  name: passkeyName.optional().describe("A label for the passkey; defaults to \"Passkey\""),
});

export const renamePasskeyRequestSchema = z.object({ name: passkeyName }).strict();

export const passkeySignInRequestSchema = z.object({ response: authenticationCredentialSchema });

export const passkeyMfaOptionsRequestSchema = z.object({ mfa_token: z.string().min(1).max(512) });

export const passkeyMfaRequestSchema = z.object({
  mfa_token: z.string().min(1).max(512),
  response: authenticationCredentialSchema,
});

/** What the API shows of a passkey; the public key and counter stay server-side. */
export const passkeySchema = z.object({
  id: z.string(),
  name: z.string(),
  credential_id: z.string().describe("base64url credential ID"),
  device_type: z.enum(["singleDevice", "multiDevice"]).describe("multiDevice: backup eligible (synced passkey)"),
  backed_up: z.boolean(),
  transports: z.array(z.string()),
  aaguid: z.string().nullable().describe("Authenticator model, when the authenticator reveals it"),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
});
