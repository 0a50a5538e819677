import type { VerifiedToken } from "./claims";
import { EdgeAuthError } from "./errors";

/** True when the token was granted every one of `scopes` (RFC 6749 §3.3). */
export const hasScope = (token: VerifiedToken, ...scopes: string[]): boolean =>
  scopes.every((scope) => token.scopes.includes(scope));

/** Throws `insufficient_scope` (403, RFC 6750 §3.1, naming the scopes) unless the token has every one of `scopes`. */
export function assertScope(token: VerifiedToken, ...scopes: string[]): void {
  if (!hasScope(token, ...scopes)) throw new EdgeAuthError("insufficient_scope", { requiredScopes: scopes });
}

/** True when the token is for an organization (`org_id`) in which the user holds one of `roles`. */
export const hasOrgRole = (token: VerifiedToken, ...roles: string[]): boolean => {
  const { org_id: orgId, org_role: role } = token.claims;
  return orgId !== undefined && role !== undefined && roles.includes(role);
};

/**
 * True when the token's organization role grants every one of `permissions`
 * (`resource:action`; a granted `resource:*` covers every action on it).
 * Needs the `permissions` claim (settings.organizations.permissions_in_token).
 */
export const hasPermission = (token: VerifiedToken, ...permissions: string[]): boolean => {
  const { org_id: orgId, permissions: granted } = token.claims;
  if (orgId === undefined || granted === undefined) return false;
  return permissions.every((wanted) => granted.includes(wanted) || granted.includes(`${wanted.slice(0, wanted.indexOf(":"))}:*`));
};

/** Throws `insufficient_permission` (403) unless the token's organization role grants every one of `permissions`. */
export function assertPermission(token: VerifiedToken, ...permissions: string[]): void {
  if (!hasPermission(token, ...permissions)) throw new EdgeAuthError("insufficient_permission", { detail: `Requires ${permissions.join(", ")}` });
}

/** Throws `insufficient_role` (403) unless the token's organization role is one of `roles`. */
export function assertOrgRole(token: VerifiedToken, ...roles: string[]): void {
  if (!hasOrgRole(token, ...roles)) throw new EdgeAuthError("insufficient_role");
}
