import { decodeJwt } from "jose";
import type { ExpectedClaims } from "./claims";
import { EdgeAuthError } from "./errors";
import type { TenantRef } from "./jwks/sources";
import { TenantKeys, type TenantKeysConfig } from "./jwks/tenant-keys";
import type { RevocationStore } from "./revocation/revocation-store";

/** Everything the verifier holds in memory for one tenant: its keys, its revocations, what its tokens must say. */
export class TenantState implements TenantRef {
  readonly keys: TenantKeys;

  constructor(
    readonly slug: string,
    readonly issuer: string,
    readonly expected: ExpectedClaims,
    keys: TenantKeysConfig,
    readonly revocation: RevocationStore | undefined,
  ) {
    this.keys = new TenantKeys(this, keys);
  }
}

/** Finds (or creates) the tenant a token belongs to. */
export interface TenantDirectory {
  /** True when tokens of several tenants are accepted (origin mode). */
  readonly multiTenant: boolean;
  /** The tenant the token's `iss` names; `invalid_issuer` when it names none we accept. */
  forToken(token: string): TenantState;
}

/** Same rule as `slugSchema` in @plinto/contracts (kept free of zod here; a test holds them equal). */
const SLUG = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
export const isTenantSlug = (value: string): boolean => value.length >= 3 && value.length <= 40 && SLUG.test(value);

/** The slug of an issuer shaped `{origin}/t/{slug}`, or undefined. */
export function slugOfIssuer(issuer: string): string | undefined {
  const at = issuer.lastIndexOf("/t/");
  const slug = at < 0 ? "" : issuer.slice(at + 3);
  return isTenantSlug(slug) ? slug : undefined;
}

/** One configured issuer: every token is checked against it (its `iss` is compared after verification). */
export function fixedTenant(tenant: TenantState): TenantDirectory {
  return { multiTenant: false, forToken: () => tenant };
}

export interface OriginTenantsOptions {
  origin: string;
  allow: ReadonlySet<string> | undefined;
  maxTenants: number;
  create(ref: TenantRef): TenantState;
  evict(tenant: TenantState): void;
}

/**
 * Tenants of one Plinto origin: a token's tenant is the slug in its `iss`,
 * accepted only when `iss` is exactly `{origin}/t/{slug}` with a valid slug
 * (DESIGN.md "Tokens"), so keys are only ever looked up at the configured
 * origin. At most `maxTenants` are held; the oldest is dropped first (its keys
 * and cached tokens with it; it is simply loaded again when it comes back).
 */
export function originTenants(options: OriginTenantsOptions): TenantDirectory {
  const prefix = `${options.origin}/t/`;
  const tenants = new Map<string, TenantState>();
  const get = (slug: string): TenantState => {
    const known = tenants.get(slug);
    if (known) return known;
    const tenant = options.create({ slug, issuer: `${prefix}${slug}` });
    tenants.set(slug, tenant);
    const oldest = tenants.size > options.maxTenants ? tenants.entries().next().value : undefined;
    if (oldest) {
      tenants.delete(oldest[0]);
      options.evict(oldest[1]);
    }
    return tenant;
  };
  return {
    multiTenant: true,
    forToken(token) {
      const { iss } = decodeJwt(token);
      const slug = typeof iss === "string" && iss.startsWith(prefix) ? iss.slice(prefix.length) : "";
      if (!isTenantSlug(slug) || (options.allow && !options.allow.has(slug))) throw new EdgeAuthError("invalid_issuer");
      return get(slug);
    },
  };
}
