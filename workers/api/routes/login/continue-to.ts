import type { TenantScope } from "@plinto/core";

/**
 * Where a hosted flow may send the browser next: only pages of this tenant's issuer
 * (an absolute URL under it, or a path under its path), never another site, so no
 * `continueTo`/`return_to` value can make the hosted login an open redirector
 * (RFC 9700 §4.11). Anything else becomes the default page.
 */
export function safeContinueTo(scope: TenantScope, target: string | null | undefined): string {
  const fallback = `${scope.issuer}/login`;
  if (!target) return fallback;
  const issuer = new URL(scope.issuer);
  let url: URL;
  try {
    url = new URL(target, issuer);
  } catch {
    return fallback;
  }
  const underIssuer = url.origin === issuer.origin && url.pathname.startsWith(`${issuer.pathname}/`) && !url.pathname.includes("/../");
  return underIssuer && !target.startsWith("//") && !target.includes("\\") ? url.toString() : fallback;
}
