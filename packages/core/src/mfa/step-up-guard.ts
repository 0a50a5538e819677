import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Authenticated } from "../sessions/authenticate";

/**
 * Sensitive actions (password change, removing a factor, new recovery codes)
 * need a sign-in or step-up no older than `settings.mfa.step_up_max_age_seconds`.
 * Throws 403 `step_up_required` carrying that age, which the error mapper
 * sends as `max_age` in an RFC 9470 §3 challenge; `POST /me/step-up` renews it.
 */
export function requireRecentAuthentication(deps: CoreDeps, scope: TenantScope, auth: Authenticated): void {
  const maxAgeSeconds = scope.tenant.settings.mfa.step_up_max_age_seconds;
  if (deps.clock.now() - auth.session.verifiedAt <= maxAgeSeconds * 1000) return;
  throw new PlintoError("step_up_required", {
    detail: `authenticate again (POST /me/step-up); this action needs an authentication within the last ${maxAgeSeconds} seconds`,
    maxAgeSeconds,
  });
}
