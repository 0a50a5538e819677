import { toBase64url, utf8 } from "../crypto/encoding";
import type { TenantScope } from "../deps";

/** The tenant as a WebAuthn Relying Party (WebAuthn Level 3 §5.4.2, §13.4.9). */
export interface RelyingParty {
  /** RP ID (§5.1.4.1 rp.id): a registrable domain suffix of every allowed origin's host. */
  id: string;
  /** Shown by authenticators (§5.4.2 name). */
  name: string;
  /** Origins accepted in clientDataJSON.origin (§7.1 step 9, §7.2 step 13). */
  origins: string[];
  userVerification: "required" | "preferred";
}

/**
 * Derives the relying party from the tenant's `passkeys` settings: rp_id
 * null means the host of the API origin (the issuer's host), rp_name null the
 * tenant's name, empty origins the tenant's allowed_origins, and when those
 * are empty too the API origin itself (hosted pages), so a passkey is never
 * verified against an empty list.
 */
export function relyingParty(scope: TenantScope): RelyingParty {
  const settings = scope.tenant.settings;
  const api = new URL(scope.issuer);
  const configured = settings.passkeys.origins.length > 0 ? settings.passkeys.origins : settings.allowed_origins;
  return {
    id: settings.passkeys.rp_id ?? api.hostname,
    name: settings.passkeys.rp_name ?? scope.tenant.name,
    origins: configured.length > 0 ? configured : [api.origin],
    userVerification: settings.passkeys.user_verification,
  };
}

/**
 * The user handle (§5.4.3 user.id, §14.6.1): opaque, at most 64 bytes, and
 * free of personal data. SHA-256 of the tenant and user ids: stable across
 * registrations (one account, one handle) without a stored column, and
 * recomputable to check `userHandle` in assertions (§7.2 step 6).
 */
export async function userHandle(tenantId: string, userId: string): Promise<Uint8Array<ArrayBuffer>> {
  const digest = await crypto.subtle.digest("SHA-256", utf8(`plinto-webauthn-user:${tenantId}:${userId}`));
  return new Uint8Array(digest);
}

export const userHandleText = async (tenantId: string, userId: string): Promise<string> =>
  toBase64url(await userHandle(tenantId, userId));

/**
 * COSE algorithms offered at registration (§5.4 pubKeyCredParams), most
 * preferred first: EdDSA (-8), ES256 (-7), RS256 (-257), as §5.4 recommends.
 */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257];
