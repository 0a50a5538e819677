import { PlintoError } from "../../errors";
import type { OAuthClient, OAuthGrantType } from "../../ports/oauth-repositories";

/** RFC 6749 §5.2 unauthorized_client: the client is not registered for this grant type. */
export function assertGrantAllowed(client: OAuthClient, grant: OAuthGrantType): void {
  if (!client.grantTypes.includes(grant)) {
    throw new PlintoError("unauthorized_client", { detail: `the client may not use the ${grant} grant` });
  }
}

/** Redirect URIs are compared as exact strings, no normalisation or wildcards (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1). */
export function redirectUriRegistered(client: OAuthClient, redirectUri: string): boolean {
  return client.redirectUris.includes(redirectUri);
}
