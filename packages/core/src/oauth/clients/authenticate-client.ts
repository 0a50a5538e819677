import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { ClientAuthMethod, OAuthClient } from "../../ports/oauth-repositories";
import { parseBasicCredentials } from "./basic-credentials";
import { assertionClientId, JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion } from "./client-assertion";
import { secretMatchesHash } from "./client-secret";
import { cachedClient } from "./client-cache";

/** What the token/introspect/revoke/device endpoints received that may authenticate a client. */
export interface ClientCredentialsPresented {
  /** Raw Authorization header, if any (Basic per RFC 6749 §2.3.1: id and secret are form-urlencoded before base64). */
  authorization: string | null;
  /** Form fields: client_id, client_secret, client_assertion_type, client_assertion. */
  form: Record<string, string>;
  /** The endpoint URL the request was made to (a private_key_jwt `aud` may be it or the issuer, RFC 7523 §3). */
  endpointUrl: string;
}

export interface AuthenticatedClient {
  client: OAuthClient;
  method: ClientAuthMethod;
}

/** The one method a request used and the credential it carries. */
type Presentation =
  | { method: "client_secret_basic" | "client_secret_post"; clientId: string; secret: string }
  | { method: "private_key_jwt"; clientId: string; assertion: string }
  | { method: "none"; clientId: string };

const failed = (detail = "client authentication failed"): PlintoError => new PlintoError("invalid_client", { detail });

/** A present, non-empty form field. */
const field = (form: Record<string, string>, name: string): string | null => {
  const value = form[name];
  return value === undefined || value === "" ? null : value;
};

/**
 * Works out which method the request used. RFC 6749 §2.3: a client MUST NOT
 * use more than one method in a request (invalid_request). A client_id in the
 * body next to another method must name the same client.
 */
function readPresentation(presented: ClientCredentialsPresented): Presentation {
  const { form } = presented;
  const basic = parseBasicCredentials(presented.authorization);
  const bodyId = field(form, "client_id");
  const secret = field(form, "client_secret");
  const assertion = field(form, "client_assertion");
  const assertionType = field(form, "client_assertion_type");
  const used = [basic !== null, secret !== null, assertion !== null || assertionType !== null].filter(Boolean).length;
  if (used > 1) throw new PlintoError("invalid_request", { detail: "a client must use only one authentication method per request (RFC 6749 §2.3)" });
  if (basic) {
    if (bodyId !== null && bodyId !== basic.clientId) throw new PlintoError("invalid_request", { detail: "client_id differs from the Authorization header" });
    return { method: "client_secret_basic", clientId: basic.clientId, secret: basic.clientSecret };
  }
  if (secret !== null) {
    if (bodyId === null) throw failed("client_secret needs client_id");
    return { method: "client_secret_post", clientId: bodyId, secret };
  }
  if (assertion !== null || assertionType !== null) {
    if (assertion === null || assertionType === null) throw new PlintoError("invalid_request", { detail: "client_assertion and client_assertion_type go together (RFC 7521 §4.2)" });
    if (assertionType !== JWT_BEARER_ASSERTION_TYPE) throw failed(`client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
    const clientId = assertionClientId(assertion);
    if (bodyId !== null && bodyId !== clientId) throw failed("client_id differs from the client_assertion issuer");
    return { method: "private_key_jwt", clientId, assertion };
  }
  if (bodyId === null) throw failed("no client authentication and no client_id");
  return { method: "none", clientId: bodyId };
}

/** Checks the credential itself once the client and method are known to agree. */
async function verifyPresentation(deps: CoreDeps, scope: TenantScope, client: OAuthClient, presentation: Presentation, endpointUrl: string): Promise<void> {
  switch (presentation.method) {
    case "client_secret_basic":
    case "client_secret_post":
      if (client.secretHash === null || !(await secretMatchesHash(presentation.secret, client.secretHash))) throw failed();
      return;
    case "private_key_jwt":
      await verifyClientAssertion(deps, scope, client, presentation.assertion, endpointUrl);
      return;
    case "none":
      // A public client proves nothing here; PKCE (RFC 7636) binds its code instead.
      if (client.type !== "public") throw failed();
      return;
  }
}

/**
 * Authenticates the client of a token, introspection, revocation or device
 * authorization request (RFC 6749 §2.3): client_secret_basic,
 * client_secret_post, private_key_jwt (RFC 7523) or `none` for public clients.
 * The method used must be the one the client registered. Throws
 * PlintoError("invalid_client") (401) on failure; a public client ("none")
 * needs only client_id.
 */
export async function authenticateClient(
  deps: CoreDeps,
  scope: TenantScope,
  presented: ClientCredentialsPresented,
): Promise<AuthenticatedClient> {
  const presentation = readPresentation(presented);
  if (presentation.clientId.length > 128) throw failed();
  const client = await cachedClient(deps, scope.tenant.id, presentation.clientId);
  if (!client) throw failed();
  if (client.tokenEndpointAuthMethod !== presentation.method) {
    throw failed("the client must authenticate with its registered token_endpoint_auth_method");
  }
  await verifyPresentation(deps, scope, client, presentation, presented.endpointUrl);
  return { client, method: presentation.method };
}
