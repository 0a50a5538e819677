import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { assertGrantAllowed, redirectUriRegistered } from "../clients/client-policy";
import { resolveRequestedAccess } from "../scopes";

/** OIDC Core §3.1.2.1 `prompt` values. */
export type Prompt = "none" | "login" | "consent" | "select_account";
const PROMPTS = new Set<string>(["none", "login", "consent", "select_account"]);

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1), as stored while the user signs in. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** Granted scope (space-separated) and resources after resolveRequestedAccess. */
  scope: string;
  resources: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  prompt: Prompt[];
  /** OIDC max_age, seconds. */
  maxAge: number | null;
  acrValues: string | null;
  loginHint: string | null;
  /** When the request arrived (ms): a sign-in after it satisfies prompt=login and max_age. */
  createdAt: number;
}

/** The request's parameters: single values, the repeatable `resource` (RFC 8707 §2), and names sent twice. */
export interface AuthorizationParameters {
  params: Record<string, string>;
  resources: string[];
  duplicates: string[];
}

export type AuthorizationRequestCheck =
  | { status: "ok"; client: OAuthClient; request: AuthorizationRequest }
  /** RFC 6749 §4.1.2.1: client or redirect_uri invalid — tell the user, never redirect. */
  | { status: "invalid_client_or_redirect"; description: string }
  /** Every other error goes back to the client's redirect_uri (with state and iss). */
  | { status: "redirect_error"; redirectUri: string; state: string | null; error: PlintoError };

/** RFC 7636 §4.1: code_challenge = BASE64URL(SHA256(verifier)), 43 characters for S256. */
const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE = 1_024;
const MAX_VALUE = 512;

const bad = (detail: string) => new PlintoError("invalid_request", { detail });

/** Client and redirect URI first: until both are known good, nothing may be sent to the redirect URI. */
async function checkClientAndRedirect(deps: CoreDeps, scope: TenantScope, input: AuthorizationParameters) {
  const { params, duplicates } = input;
  if (duplicates.includes("client_id") || duplicates.includes("redirect_uri")) return "client_id or redirect_uri is repeated";
  if (!params.client_id) return "client_id is missing";
  const client = params.client_id.length <= 64 ? await deps.storage.oauthClients.get(scope.tenant.id, params.client_id) : null;
  if (!client) return "the client is unknown";
  // OIDC Core §3.1.2.1 requires redirect_uri; requiring it always keeps the token request's check simple (RFC 6749 §4.1.3).
  if (!params.redirect_uri) return "redirect_uri is missing";
  if (!redirectUriRegistered(client, params.redirect_uri)) return "redirect_uri is not registered for this client";
  if (params.state !== undefined && params.state.length > MAX_STATE) return "state is too long";
  return { client, redirectUri: params.redirect_uri };
}

function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const prompts = value.split(" ").filter((entry) => entry !== "");
  if (prompts.some((entry) => !PROMPTS.has(entry))) throw bad("prompt has an unknown value");
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompts.includes("none") && prompts.length > 1) throw bad("prompt=none cannot be combined with other values");
  return prompts as Prompt[];
}

function parseMaxAge(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d{1,9}$/.test(value)) throw bad("max_age must be a non-negative integer");
  return Number(value);
}

function optional(params: Record<string, string>, name: string): string | null {
  const value = params[name];
  if (value === undefined) return null;
  if (value.length > MAX_VALUE) throw bad(`${name} is too long`);
  return value;
}

/** The rest of RFC 6749 §4.1.1 / RFC 7636 §4.3 / OIDC Core §3.1.2.1, each failure an error for the redirect. */
function checkParameters(scope: TenantScope, client: OAuthClient, input: AuthorizationParameters, now: number): AuthorizationRequest {
  const { params } = input;
  if (input.duplicates.length > 0) throw bad(`parameter ${input.duplicates[0]?.slice(0, 64)} appears more than once`);
  // OIDC Core §6 request objects are not supported; §3.1.2.6 names the errors that say so.
  if (params.request !== undefined) throw new PlintoError("request_not_supported");
  if (params.request_uri !== undefined) throw new PlintoError("request_uri_not_supported");
  if (!params.response_type) throw bad("response_type is missing");
  if (params.response_type !== "code") {
    throw new PlintoError("unsupported_response_type", { detail: "only response_type=code is supported" });
  }
  if (params.response_mode !== undefined && params.response_mode !== "query") throw bad("only response_mode=query is supported");
  assertGrantAllowed(client, "authorization_code");
  // OAuth 2.1 §4.1.1 / RFC 9700 §2.1.1: PKCE for every client, S256 only (plain is refused).
  if (!params.code_challenge) throw bad("code_challenge is required (PKCE, S256)");
  if (params.code_challenge_method !== "S256") throw bad("code_challenge_method must be S256");
  if (!CODE_CHALLENGE.test(params.code_challenge)) throw bad("code_challenge must be 43 base64url characters");
  const access = resolveRequestedAccess(scope, client, { scope: params.scope ?? null, resources: input.resources });
  return {
    clientId: client.id,
    redirectUri: params.redirect_uri ?? "",
    scope: access.scope,
    resources: access.resources,
    state: params.state ?? null,
    nonce: optional(params, "nonce"),
    codeChallenge: params.code_challenge,
    prompt: parsePrompt(params.prompt),
    maxAge: parseMaxAge(params.max_age),
    acrValues: optional(params, "acr_values"),
    loginHint: optional(params, "login_hint"),
    createdAt: now,
  };
}

/**
 * Validates an authorization request. ui_locales, display, claims_locales and id_token_hint
 * are accepted and ignored (OIDC Core §3.1.2.1 makes them optional to honour).
 */
export async function checkAuthorizationRequest(
  deps: CoreDeps,
  scope: TenantScope,
  input: AuthorizationParameters,
): Promise<AuthorizationRequestCheck> {
  const target = await checkClientAndRedirect(deps, scope, input);
  if (typeof target === "string") return { status: "invalid_client_or_redirect", description: target };
  try {
    return { status: "ok", client: target.client, request: checkParameters(scope, target.client, input, deps.clock.now()) };
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    return { status: "redirect_error", redirectUri: target.redirectUri, state: input.params.state ?? null, error };
  }
}
