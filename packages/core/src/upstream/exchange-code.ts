import { PlintoError } from "../errors";
import type { ResolvedProvider } from "./endpoints";
import { stringField, upstreamJson } from "./upstream-http";

export interface UpstreamTokens {
  accessToken: string;
  idToken: string | null;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
const basicCredentials = (clientId: string, secret: string): string =>
  `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`;

/**
 * Redeems the authorization code at the provider's token endpoint (RFC 6749
 * §4.1.3) with the PKCE verifier (RFC 7636 §4.5). A refusal (`invalid_grant`:
 * a replayed code, a wrong verifier) is `upstream_token_rejected`; GitHub
 * answers errors with 200, so the body decides, not the status.
 */
export async function exchangeCode(
  provider: ResolvedProvider,
  client: { clientId: string; clientSecret: string | null },
  grant: { code: string; redirectUri: string; codeVerifier: string },
): Promise<UpstreamTokens> {
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: grant.code,
    redirect_uri: grant.redirectUri,
    code_verifier: grant.codeVerifier,
    client_id: client.clientId,
  });
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (client.clientSecret !== null && provider.tokenAuthMethod === "client_secret_basic") {
    headers.Authorization = basicCredentials(client.clientId, client.clientSecret);
  } else if (client.clientSecret !== null) {
    form.set("client_secret", client.clientSecret);
  }
  const { status, body } = await upstreamJson(provider.tokenEndpoint, { method: "POST", headers, body: form.toString() });
  const error = stringField(body, "error");
  if (error !== null || status >= 400) {
    throw new PlintoError("upstream_token_rejected", { detail: `the provider's token endpoint answered ${error ?? status}` });
  }
  const accessToken = stringField(body, "access_token");
  if (!accessToken) throw new PlintoError("upstream_token_rejected", { detail: "the provider's token response has no access_token" });
  return { accessToken, idToken: stringField(body, "id_token") };
}
