import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import { seconds } from "../../ports/clock";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { assertGrantAllowed } from "../clients/client-policy";
import type { OAuthTokenResponse } from "../issue-grant-tokens";
import { accessTokenAudience, accessTokenTtl, signOAuthAccessToken } from "../oauth-access-token";
import { isOidcScope, parseScope, resolveRequestedAccess } from "../scopes";

/**
 * The client_credentials grant (RFC 6749 §4.4): a confidential client acts on
 * its own behalf. The access token's `sub` is the client_id and it has no
 * `sid` (nothing to refresh, RFC 6749 §4.4.3: no refresh token; no user: no
 * ID token, and OIDC scopes are refused). Stateless and on the hot path:
 * only the client lookup (client authentication) and the signature; issuance
 * is not written to the audit log per token.
 */
export async function clientCredentialsGrant(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  form: Record<string, string>,
  resources: string[],
): Promise<OAuthTokenResponse> {
  assertGrantAllowed(client, "client_credentials");
  if (client.type !== "confidential") throw new PlintoError("unauthorized_client", { detail: "only confidential clients may use client_credentials" });
  if (form.scope !== undefined && parseScope(form.scope).some(isOidcScope)) {
    throw new PlintoError("invalid_scope", { detail: "OpenID Connect scopes need a user; client_credentials has none" });
  }
  const access = resolveRequestedAccess(scope, client, { scope: form.scope ?? null, resources });
  const granted = access.scope.split(" ").filter((value) => value !== "" && !isOidcScope(value)).join(" ");
  const now = deps.clock.now();
  const ttl = accessTokenTtl(scope, client);
  const signer = await deps.keyring.signer(deps.storage.signingKeys, deps.vault, scope.tenant.id, now);
  const iat = seconds(now);
  const accessToken = await signOAuthAccessToken(signer, {
    iss: scope.issuer,
    sub: client.id,
    aud: accessTokenAudience(scope, access.resources, granted),
    iat,
    nbf: iat,
    exp: iat + ttl,
    jti: crypto.randomUUID(),
    client_id: client.id,
    scope: granted,
  });
  return { access_token: accessToken, token_type: "Bearer", expires_in: ttl, scope: granted };
}
