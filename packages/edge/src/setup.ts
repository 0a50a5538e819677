import { type JwksSource, kvJwksSource, type TenantRef, urlJwksSource } from "./jwks/sources";
import type { TenantKeysConfig } from "./jwks/tenant-keys";
import type { Settings, VerifierOptions } from "./options";
import { RevocationStore, type RevocationCounters } from "./revocation/revocation-store";
import { fixedTenant, originTenants, slugOfIssuer, type TenantDirectory, TenantState } from "./tenants";

/** KV mirror first (no origin request), then the tenant's JWKS URL, unless `jwksUrl: false`. */
export function jwksSources(options: VerifierOptions, settings: Settings): JwksSource[] {
  const sources: JwksSource[] = [];
  if (options.kv) sources.push(kvJwksSource(options.kv));
  const { jwksUrl } = options;
  if (jwksUrl === false) return sources;
  if (typeof jwksUrl === "string" && options.origin !== undefined) {
    throw new TypeError('@plinto/edge: with "origin", "jwksUrl" must be a function of the tenant');
  }
  const urlFor =
    typeof jwksUrl === "function"
      ? jwksUrl
      : typeof jwksUrl === "string"
        ? () => jwksUrl
        : (tenant: TenantRef) => `${tenant.issuer}/.well-known/jwks.json`;
  const fetchJwks = options.fetch ?? ((url, init) => fetch(url, init));
  sources.push(urlJwksSource(urlFor, fetchJwks, settings.jwks.timeoutMs));
  return sources;
}

/** Builds the state of one tenant: key set, revocation snapshot, expected `iss`/`aud`. */
export function tenantFactory(
  options: VerifierOptions,
  settings: Settings,
  keys: TenantKeysConfig,
  counters: RevocationCounters,
): (ref: TenantRef) => TenantState {
  const { revocation } = options;
  return (ref) => {
    const store =
      revocation &&
      settings.revocation &&
      new RevocationStore(ref.slug, {
        source: revocation.source,
        cache: revocation.cache,
        cacheUrl: revocation.cacheKeyUrl?.(ref) ?? `${ref.issuer}/__plinto-edge/revocations`,
        toleranceMs: settings.toleranceSeconds * 1000,
        counters,
        ...settings.revocation,
      });
    const expected = { issuer: ref.issuer, audiences: settings.audiences ?? [ref.issuer] };
    return new TenantState(ref.slug, ref.issuer, expected, keys, store);
  };
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** `issuer` mode: one tenant. `origin` mode: tenants named by `iss` under the configured origin only. */
export function tenantDirectory(
  options: VerifierOptions,
  settings: Settings,
  create: (ref: TenantRef) => TenantState,
): TenantDirectory {
  if (options.issuer !== undefined) {
    const slug = options.tenant ?? slugOfIssuer(options.issuer) ?? options.issuer;
    return fixedTenant(create({ slug, issuer: options.issuer }));
  }
  const origin = String(options.origin).replace(/\/+$/, "");
  if (originOf(origin) !== origin) {
    throw new TypeError('@plinto/edge: "origin" must be an origin such as https://auth.example.com');
  }
  return originTenants({
    origin,
    allow: options.tenants && new Set(options.tenants),
    maxTenants: settings.maxTenants,
    create,
    evict: (tenant) => tenant.keys.clear(),
  });
}
