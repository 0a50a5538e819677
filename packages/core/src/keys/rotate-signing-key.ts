import { MAX_ACCESS_TOKEN_TTL_SECONDS, type SigningAlgorithm } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { SigningKey } from "../model";
import { REVOCATION_LEEWAY_MS } from "../ports/revocation-list";
import { generateSigningKey } from "./generate-signing-key";
import { type PublishedJwks, toPublishedJwks } from "./jwks";

/** Extra time a retired key stays published beyond the last token it signed (clock skew, caches). */
export const RETIRED_KEY_LEEWAY_MS = 5 * 60_000;

export interface RotateOptions {
  /** Algorithm of the new key; the tenant's setting by default. */
  alg?: SigningAlgorithm;
  /**
   * Lifetime of the longest token the retiring key may have signed, when it is
   * longer than the tenant's current setting (a change that shortens it).
   */
  retiredTokenTtlSeconds?: number;
}

/**
 * Makes a new active key; the previous one is retired but stays in the JWKS
 * until every access token it signed has expired (plus leeway).
 */
export async function rotateSigningKey(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  options: RotateOptions = {},
): Promise<SigningKey> {
  const alg = options.alg ?? scope.tenant.settings.signing_algorithm;
  const now = deps.clock.now();
  const previous = await deps.storage.signingKeys.getActive(scope.tenant.id);
  const next = await generateSigningKey({ tenantId: scope.tenant.id, kid: deps.ids.newId("key"), alg, now, vault: deps.vault });
  const tokenTtl = Math.max(scope.tenant.settings.tokens.access_token_ttl_seconds, options.retiredTokenTtlSeconds ?? 0);
  const publishUntil = now + tokenTtl * 1000 + RETIRED_KEY_LEEWAY_MS;
  await deps.storage.signingKeys.rotate(previous ? { kid: previous.kid, retiredAt: now, publishUntil } : null, next);
  deps.keyring.invalidate(scope.tenant.id);
  await publishJwks(deps, scope);
  await recordAuditEvent(deps, scope, {
    type: "signing_key.rotated",
    actor,
    subjectId: next.kid,
    data: { alg, previous_kid: previous?.kid ?? null },
  });
  return next;
}

/**
 * Removes a key from the JWKS at once (compromise). Revoking the active key
 * rotates first, so the tenant can keep signing. The kid goes on the tenant's
 * revocation list first, so edge verifiers holding the old JWKS refuse it
 * within their polling bound, and a retry after a failure repeats nothing harmful.
 */
export async function revokeSigningKey(deps: CoreDeps, scope: TenantScope, kid: string, actor: Actor): Promise<void> {
  const key = await deps.storage.signingKeys.getByKid(scope.tenant.id, kid);
  if (!key || key.status === "revoked") throw new PlintoError("not_found", { detail: "no published key with this kid" });
  const now = deps.clock.now();
  const until = now + MAX_ACCESS_TOKEN_TTL_SECONDS * 1000 + REVOCATION_LEEWAY_MS;
  await deps.revocations.revoke(scope.tenant.slug, [{ kind: "key", id: kid, until }], now);
  if (key.status === "active") await rotateSigningKey(deps, scope, actor);
  await deps.storage.signingKeys.revoke(scope.tenant.id, kid, now);
  deps.keyring.invalidate(scope.tenant.id);
  await publishJwks(deps, scope);
  await recordAuditEvent(deps, scope, { type: "signing_key.revoked", actor, subjectId: kid });
}

export async function publishedJwks(deps: CoreDeps, tenantId: string): Promise<PublishedJwks> {
  const now = deps.clock.now();
  return toPublishedJwks(await deps.storage.signingKeys.listPublished(tenantId, now), now);
}

/** Writes the current JWKS to the edge mirror (KV), with the time it goes stale by itself. */
export async function publishJwks(deps: CoreDeps, scope: TenantScope): Promise<PublishedJwks> {
  const published = await publishedJwks(deps, scope.tenant.id);
  await deps.jwksMirror.publish(scope.tenant.slug, published);
  return published;
}
