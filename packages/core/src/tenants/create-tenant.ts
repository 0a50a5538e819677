import { defaultTenantSettings } from "@plinto/contracts";
import { type CreatedApiKey, mintApiKey } from "../api-keys/api-keys";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { generateSigningKey } from "../keys/generate-signing-key";
import { publishJwks } from "../keys/rotate-signing-key";
import type { RequestContext, Tenant } from "../model";

export interface CreateTenantInput {
  slug: string;
  name: string;
  allowedOrigins?: string[];
}

/** Operator action: a tenant with default settings, an RS256 signing key and a first secret key. */
export async function createTenant(
  deps: CoreDeps,
  input: CreateTenantInput,
  origin: string,
  request: RequestContext,
): Promise<{ tenant: Tenant; secretKey: CreatedApiKey }> {
  const now = deps.clock.now();
  const tenant: Tenant = {
    id: deps.ids.newId("ten"),
    slug: input.slug,
    name: input.name,
    settings: { ...defaultTenantSettings, allowed_origins: input.allowedOrigins ?? [] },
    createdAt: now,
    updatedAt: now,
  };
  const signingKey = await generateSigningKey({
    tenantId: tenant.id,
    kid: deps.ids.newId("key"),
    alg: tenant.settings.signing_algorithm,
    now,
    vault: deps.vault,
  });
  const secretKey = await mintApiKey(deps, tenant.id, "Default secret key");
  await deps.storage.bootstrapTenant({ tenant, signingKey, apiKey: secretKey.key });
  const scope: TenantScope = { tenant, issuer: issuerFor(origin, tenant.slug), request };
  await publishJwks(deps, scope);
  await recordAuditEvent(deps, scope, { type: "tenant.created", actor: { type: "operator" }, subjectId: tenant.id });
  return { tenant, secretKey };
}

/** DESIGN.md "Tenancy and URLs": the issuer is `{origin}/t/{tenant}`. */
export const issuerFor = (origin: string, slug: string): string => `${origin}/t/${slug}`;
