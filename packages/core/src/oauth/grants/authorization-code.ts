import { sha256 } from "../../crypto/secrets";
import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { type AuthorizationCodeData, consumeAuthorizationCode, rememberRedeemedCode } from "../authorization-codes";
import { assertGrantAllowed } from "../clients/client-policy";
import { openUserGrant, type OAuthTokenResponse } from "../issue-grant-tokens";
import { accessTokenTtl } from "../oauth-access-token";
import { narrowResources, narrowScope } from "../scopes";

/** RFC 7636 §4.1: code_verifier = 43*128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const MAX_CODE_LENGTH = 256;

const invalidGrant = (detail: string) => new PlintoError("invalid_grant", { detail });

/**
 * The authorization_code grant (RFC 6749 §4.1.3, RFC 7636 §4.6). The
 * request's shape is checked before the code is touched; then the code is
 * consumed (single use, 60 s) and must have been issued to this client, for
 * this redirect_uri, with a challenge the verifier meets (S256 only). The
 * redeemed code is remembered so a replay revokes the grant (RFC 6749 §4.1.2).
 */
export async function authorizationCodeGrant(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  form: Record<string, string>,
  resources: string[],
): Promise<OAuthTokenResponse> {
  assertGrantAllowed(client, "authorization_code");
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = form;
  if (code === undefined || code.length > MAX_CODE_LENGTH) throw new PlintoError("invalid_request", { detail: "code is required" });
  if (redirectUri === undefined) throw new PlintoError("invalid_request", { detail: "redirect_uri is required" });
  if (verifier !== undefined && !CODE_VERIFIER.test(verifier)) {
    throw new PlintoError("invalid_request", { detail: "code_verifier must be 43 to 128 unreserved characters (RFC 7636 §4.1)" });
  }
  const redeemed = await consumeAuthorizationCode(deps, scope, code);
  const data = redeemed.data;
  if (data.clientId !== client.id) throw invalidGrant("the code was issued to another client");
  if (data.redirectUri !== redirectUri) throw invalidGrant("redirect_uri differs from the authorization request");
  await checkProofKey(client, data, verifier);
  const { tokens, sessionId } = await openUserGrant(deps, scope, client, {
    userId: data.userId,
    clientId: client.id,
    // Not defined for this grant by RFC 6749 §4.1.3; accepted only to narrow, like at refresh (§6).
    scope: narrowScope(data.scope, form.scope),
    resources: narrowResources(data.resources, resources),
    authTime: data.authTime,
    amr: data.amr,
    acr: data.acr,
    nonce: data.nonce,
    loginSessionId: data.loginSessionId,
  });
  await rememberRedeemedCode(deps, scope, redeemed, { sessionId, accessTokenTtlSeconds: accessTokenTtl(scope, client) });
  return tokens;
}

/**
 * RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) must equal the stored
 * challenge. `plain` is never accepted. A verifier for a code issued without
 * a challenge is refused too (PKCE downgrade, RFC 9700 §4.8.2), and a public
 * client's code must have had one (OAuth 2.1 §7.5.1).
 */
async function checkProofKey(client: OAuthClient, data: AuthorizationCodeData, verifier: string | undefined): Promise<void> {
  if (!data.codeChallenge) {
    if (client.type === "public") throw invalidGrant("a public client's code needs PKCE");
    if (verifier !== undefined) throw invalidGrant("the authorization request had no code_challenge");
    return;
  }
  if (verifier === undefined) throw invalidGrant("code_verifier is required (PKCE, RFC 7636)");
  if (data.codeChallengeMethod !== "S256") throw invalidGrant("only the S256 code_challenge_method is supported");
  if ((await sha256(verifier)) !== data.codeChallenge) throw invalidGrant("code_verifier does not match the code_challenge");
}
