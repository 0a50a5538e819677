import { PlintoError, type FieldError } from "../errors";
import type { UpstreamProviderKind } from "../ports/oauth-repositories";
import { isAppleSigningKey } from "./apple-client-secret";
import { checkWebhookUrl } from "../webhooks/url-guard";
import { discoverProvider } from "./discovery";

/** A connection as the admin describes it (wire names in `options`). */
export interface ConnectionConfig {
  kind: UpstreamProviderKind;
  clientId: string;
  /** Whether the connection will have a client secret once saved (given now, or kept from before). */
  hasClientSecret: boolean;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  options: Record<string, unknown>;
  /** Apple: a new .p8 key given in this request (plaintext, checked then encrypted). */
  applePrivateKey: string | null;
  hasApplePrivateKey: boolean;
}

/** Option keys each kind understands; anything else is refused rather than silently ignored. */
const optionKeys: Record<UpstreamProviderKind, string[]> = {
  oidc: ["claims", "token_endpoint_auth_method"],
  oauth2: ["claims", "token_endpoint_auth_method"],
  google: [],
  microsoft: ["tenant"],
  github: ["enterprise_url"],
  apple: ["team_id", "key_id"],
};

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * https to a public host (the webhook SSRF guard: no local names, private,
 * loopback or link-local addresses); when `allowHttp` (local development and
 * tests) also plain http to a loopback address.
 */
export function checkProviderUrl(value: string, allowHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a URL";
  }
  if (url.username || url.password || url.hash) return "must not carry credentials or a fragment";
  if (allowHttp && LOOPBACK.has(url.hostname) && (url.protocol === "http:" || url.protocol === "https:")) return null;
  if (url.protocol !== "https:") return allowHttp ? "must be https (or http to a loopback address)" : "must be https";
  const verdict = checkWebhookUrl(value, false);
  return verdict.ok ? null : verdict.reason;
}

function fieldErrors(config: ConnectionConfig, allowHttp: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message, code: "invalid_connection" });
  const generic = config.kind === "oidc" || config.kind === "oauth2";
  const urls = { issuer: config.issuer, authorization_endpoint: config.authorizationEndpoint, token_endpoint: config.tokenEndpoint, userinfo_endpoint: config.userinfoEndpoint };
  const wanted: Record<string, boolean> = {
    issuer: config.kind === "oidc",
    authorization_endpoint: config.kind === "oauth2",
    token_endpoint: config.kind === "oauth2",
    userinfo_endpoint: config.kind === "oauth2",
  };
  for (const [path, value] of Object.entries(urls)) {
    if (value === null && wanted[path]) fail(path, `required for kind ${config.kind}`);
    if (value !== null && !wanted[path]) fail(path, generic ? `not used by kind ${config.kind}` : `fixed by the ${config.kind} preset`);
    const problem = value === null ? null : checkProviderUrl(value, allowHttp);
    if (problem) fail(path, problem);
  }
  for (const key of Object.keys(config.options)) if (!optionKeys[config.kind].includes(key)) fail(`options.${key}`, `not an option of kind ${config.kind}`);
  if (["google", "microsoft", "github"].includes(config.kind) && !config.hasClientSecret) fail("client_secret", `required for kind ${config.kind}`);
  if (config.kind === "apple") appleErrors(config, fail);
  const tenant = config.options.tenant;
  if (tenant !== undefined && (typeof tenant !== "string" || !/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/.test(tenant))) fail("options.tenant", "an Entra tenant id, domain, common, organizations or consumers");
  const enterprise = config.options.enterprise_url;
  const enterpriseProblem = typeof enterprise === "string" ? checkProviderUrl(enterprise, allowHttp) : null;
  if (enterprise !== undefined && (typeof enterprise !== "string" || enterpriseProblem)) fail("options.enterprise_url", enterpriseProblem ?? "a URL");
  return errors;
}

function appleErrors(config: ConnectionConfig, fail: (path: string, message: string) => void): void {
  if (config.hasClientSecret) fail("client_secret", "Apple's client secret is signed with the team key; give options.private_key instead");
  for (const key of ["team_id", "key_id"]) {
    const value = config.options[key];
    if (typeof value !== "string" || !/^[A-Z0-9]{10}$/.test(value)) fail(`options.${key}`, "the 10-character identifier from the Apple developer account");
  }
  if (!config.hasApplePrivateKey) fail("options.private_key", "required for kind apple (the PKCS #8 PEM of the .p8 key)");
}

/**
 * Checks a connection's configuration for its kind; for `oidc` also fetches
 * its discovery document, so a wrong issuer fails when it is saved rather than
 * at the first sign-in. Throws `validation_failed` naming each field.
 */
export async function validateConnection(config: ConnectionConfig, allowHttp: boolean, now: number): Promise<void> {
  const errors = fieldErrors(config, allowHttp);
  if (config.applePrivateKey !== null && !(await isAppleSigningKey(config.applePrivateKey))) {
    errors.push({ path: "options.private_key", message: "not a PKCS #8 P-256 (ES256) private key", code: "invalid_connection" });
  }
  if (errors.length === 0 && config.kind === "oidc" && config.issuer) {
    try {
      await discoverProvider(config.issuer, now);
    } catch (error) {
      if (!(error instanceof PlintoError)) throw error;
      errors.push({ path: "issuer", message: error.message, code: "discovery_failed" });
    }
  }
  if (errors.length > 0) throw new PlintoError("validation_failed", { errors });
}
