import { mergeSettings, type TenantSettings, type TenantSettingsPatch, tenantSettingsSchema } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { rotateSigningKey } from "../keys/rotate-signing-key";
import type { Tenant } from "../model";

/**
 * Merges a PATCH onto the current settings, validates the whole result (so
 * cross-field rules hold), stores it and audits which fields changed. A new
 * signing algorithm takes effect through a key rotation.
 */
export async function updateSettings(
  deps: CoreDeps,
  scope: TenantScope,
  patch: TenantSettingsPatch,
  actor: Actor,
): Promise<Tenant> {
  const current = scope.tenant.settings;
  const merged = mergeSettings(current, patch);
  const parsed = tenantSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new PlintoError("validation_failed", {
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: issue.message,
        code: issue.code,
      })),
    });
  }
  const changed = changedPaths(current, parsed.data);
  if (changed.length === 0) return scope.tenant;
  const updated: Tenant = { ...scope.tenant, settings: parsed.data, updatedAt: deps.clock.now() };
  await deps.storage.tenants.updateSettings(updated);
  await recordAuditEvent(deps, scope, { type: "settings.updated", actor, subjectId: updated.id, data: { changed } });
  // A new algorithm needs a new key. A shorter access-token lifetime rotates too, retiring the
  // key with the old, longer lifetime: so the active key never holds tokens that outlive the
  // current setting, and every later rotation can publish the retired key for exactly that long.
  const previousTtl = current.tokens.access_token_ttl_seconds;
  if (parsed.data.signing_algorithm !== current.signing_algorithm || parsed.data.tokens.access_token_ttl_seconds < previousTtl) {
    await rotateSigningKey(deps, { ...scope, tenant: updated }, actor, {
      alg: parsed.data.signing_algorithm,
      retiredTokenTtlSeconds: previousTtl,
    });
  }
  return updated;
}

function changedPaths(before: TenantSettings, after: TenantSettings): string[] {
  const changed: string[] = [];
  for (const section of Object.keys(after) as (keyof TenantSettings)[]) {
    const a = before[section];
    const b = after[section];
    if (typeof b === "object" && !Array.isArray(b) && typeof a === "object" && !Array.isArray(a)) {
      for (const field of Object.keys(b)) {
        if (JSON.stringify((a as Record<string, unknown>)[field]) !== JSON.stringify((b as Record<string, unknown>)[field])) {
          changed.push(`${section}.${field}`);
        }
      }
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      changed.push(section);
    }
  }
  return changed;
}
