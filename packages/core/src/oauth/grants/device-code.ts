import { sha256 } from "../../crypto/secrets";
import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { bucketKey } from "../../sessions/rate-limits";
import { assertGrantAllowed } from "../clients/client-policy";
import { DEVICE_CODE_GRANT } from "../device-authorization";
import { DEVICE_POLL_INTERVAL_SECONDS, readDeviceCode } from "../device-code-record";
import { issueUserGrantTokens, type OAuthTokenResponse } from "../issue-grant-tokens";

/** One poll per interval (RFC 8628 §3.5); a bucket of one token refilled every interval. */
const POLL_RULE = { limit: 1, windowSeconds: DEVICE_POLL_INTERVAL_SECONDS };

/** RFC 6749 §5.2 invalid_grant: unknown, already redeemed, or another client's device code (which it must not learn). */
const invalidGrant = () => new PlintoError("invalid_grant", { detail: "the device code is invalid or was already used" });

/**
 * The device_code grant (RFC 8628 §3.4-3.5): the device polls with its
 * device_code. While the user has not decided: `authorization_pending`, or
 * `slow_down` when polling faster than the interval. Denied: `access_denied`.
 * Past expires_in: `expired_token`. Approved: tokens, exactly once (the row
 * is consumed; a second poll finds nothing and gets `invalid_grant`).
 */
export async function deviceCodeGrant(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  form: Record<string, string>,
): Promise<OAuthTokenResponse> {
  assertGrantAllowed(client, DEVICE_CODE_GRANT);
  const deviceCode = form.device_code;
  if (deviceCode === undefined) throw new PlintoError("invalid_request", { detail: "device_code is required" });
  const id = await sha256(deviceCode);
  const now = deps.clock.now();
  const row = await deps.storage.oneTimeTokens.peek(scope.tenant.id, "oauth_device_code", id, now);
  const record = row ? readDeviceCode(row) : null;
  if (!record || record.clientId !== client.id) throw invalidGrant();
  if (now >= record.expiresAt) throw new PlintoError("expired_token", { detail: "the device code has expired; start again" });
  if (record.decision === null) {
    const poll = await deps.rateLimiter.consume(await bucketKey(scope.tenant.id, "device_poll", id), POLL_RULE, now);
    if (!poll.allowed) throw new PlintoError("slow_down", { detail: `poll at most every ${DEVICE_POLL_INTERVAL_SECONDS} seconds, plus 5 after each slow_down` });
    throw new PlintoError("authorization_pending", { detail: "the user has not yet approved this device" });
  }
  // Decided: whoever consumes the row answers; a racing poll finds it gone.
  if (!(await deps.storage.oneTimeTokens.consume(scope.tenant.id, "oauth_device_code", id, now))) throw invalidGrant();
  const decision = record.decision;
  if (!decision.approved) throw new PlintoError("access_denied", { detail: "the user denied the authorization request" });
  const user = await deps.storage.users.getById(scope.tenant.id, decision.userId);
  if (!user || user.bannedAt !== null) throw invalidGrant();
  return issueUserGrantTokens(deps, scope, client, {
    userId: decision.userId,
    clientId: client.id,
    scope: record.scope,
    resources: record.resources,
    authTime: decision.authTime,
    amr: decision.amr,
    acr: null,
    nonce: null,
    loginSessionId: decision.loginSessionId,
  });
}
