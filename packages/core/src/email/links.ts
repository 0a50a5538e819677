import type { TenantScope } from "../deps";
import { PlintoError } from "../errors";

const invalidRedirect = (message: string) =>
  new PlintoError("validation_failed", { errors: [{ path: "redirect_url", message, code: "invalid_redirect_url" }] });

/**
 * Where an email's link points. A request's `redirect_url` must sit on one of
 * the tenant's allowed origins (an open redirect would hand the token to
 * anyone, OAuth 2.0 Security BCP RFC 9700 §4.1.3 by analogy): that origin
 * itself or any path under it. Otherwise the tenant's link_base_url; with
 * neither, null, and the email carries the token for the user to paste.
 */
export function resolveLinkBase(scope: TenantScope, redirectUrl: string | undefined): string | null {
  if (redirectUrl === undefined) return scope.tenant.settings.email.link_base_url;
  let url: URL;
  try {
    url = new URL(redirectUrl);
  } catch {
    throw invalidRedirect("must be an absolute URL");
  }
  if (url.username || url.password) throw invalidRedirect("must not carry credentials");
  if (url.hash) throw invalidRedirect("must not have a fragment");
  if (!scope.tenant.settings.allowed_origins.includes(url.origin)) {
    throw invalidRedirect("must be on one of the tenant's allowed_origins");
  }
  return url.href;
}

/** `{base}?token=...&type=...` (the type tells an app with one link page which flow it is), or "" without a base. */
export function emailLink(base: string | null, token: string, type: string): string {
  if (base === null) return "";
  const url = new URL(base);
  url.searchParams.set("token", token);
  url.searchParams.set("type", type);
  return url.href;
}
