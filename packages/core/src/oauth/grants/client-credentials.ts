import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { assertGrantAllowed } from "../clients/client-policy";
import type { OAuthTokenResponse } from "../issue-grant-tokens";
import { issueOAuthAccessToken } from "../oauth-access-token";
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
  const { accessToken, ttl } = await issueOAuthAccessToken(deps, scope, client, { sub: client.id, scope: granted, resources: access.resources });
  return { access_token: accessToken, token_type: "Bearer", expires_in: ttl, scope: granted };
}
