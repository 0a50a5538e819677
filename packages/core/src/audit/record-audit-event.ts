import type { Actor, CoreDeps, TenantScope } from "../deps";
import { actorId } from "../deps";
import type { AuditEvent } from "../model";
import { publishWebhookEvent } from "../webhooks/publish-event";

/** Audit event types written by the core. Later features add theirs here. */
export type AuditEventType =
  | "tenant.created"
  | "settings.updated"
  | "api_key.created"
  | "api_key.revoked"
  | "signing_key.rotated"
  | "signing_key.revoked"
  | "user.created"
  | "user.updated"
  | "user.banned"
  | "user.unbanned"
  | "user.deleted"
  | "user.locked"
  | "user.password_changed"
  | "user.password_rehashed"
  | "sign_in.succeeded"
  | "sign_in.failed"
  | "sign_in.rate_limited"
  | "passkey.registered"
  | "passkey.renamed"
  | "passkey.deleted"
  | "passkey.sign_in_failed"
  | "passkey.counter_regressed"
  | "session.created"
  | "session.revoked"
  | "session.refresh_token_reused"
  | "email.verification_sent"
  | "email.verified"
  | "password_reset.requested"
  | "password_reset.completed"
  | "magic_link.sent"
  | "email_code.sent"
  | "email_template.updated"
  | "email_template.deleted"
  | "session.stepped_up"
  | "session.step_up_failed"
  | "mfa.totp_enrolled"
  | "mfa.totp_disabled"
  | "mfa.challenge_failed"
  | "mfa.recovery_code_used"
  | "mfa.recovery_codes_regenerated"
  | "organization.created"
  | "organization.updated"
  | "organization.deleted"
  | "organization.ownership_transferred"
  | "membership.created"
  | "membership.updated"
  | "membership.deleted"
  | "invitation.created"
  | "invitation.accepted"
  | "invitation.revoked"
  | "role.created"
  | "role.updated"
  | "role.deleted"
  | "policy.updated"
  | "session.organization_switched"
  | "webhook_endpoint.created"
  | "webhook_endpoint.updated"
  | "webhook_endpoint.deleted"
  | "webhook_endpoint.secret_rotated"
  | "webhook_endpoint.disabled"
  | "webhook_delivery.replayed"
  | "oauth_client.created"
  | "oauth_client.updated"
  | "oauth_client.deleted"
  | "oauth_client.secret_rotated"
  | "oauth_initial_access_token.created"
  /** A user authorized an OAuth client: a grant (session) was opened at the token endpoint. */
  | "oauth.grant_created"
  /** An authorization code was presented again; the grant it opened is revoked (RFC 6749 §4.1.2). */
  | "oauth.authorization_code_reused"
  /** An OAuth refresh token was reused or presented by another client; the grant is revoked (RFC 9700 §4.14.2). */
  | "oauth.refresh_token_reused"
  /** A client revoked one of its tokens (RFC 7009): a user grant's session, or a client-credentials token by jti. */
  | "oauth.token_revoked"
  /** A user allowed or denied a device on the /device page (RFC 8628 §3.3). */
  | "oauth.device_approved"
  | "oauth.device_denied"
  /** Upstream (social) sign-in connections, their links and sign-ins (upstream/). */
  | "upstream_connection.created"
  | "upstream_connection.updated"
  | "upstream_connection.deleted"
  | "upstream.linked"
  /** A linked identity was removed by its user (step-up) or an admin (linked-identities.ts). */
  | "upstream.unlinked"
  | "upstream.sign_in"
  | "upstream.sign_in_failed";

export interface AuditInput {
  type: AuditEventType;
  actor: Actor;
  subjectId?: string | null;
  /** Details for humans; never secrets, hashes or tokens. */
  data?: Record<string, unknown>;
  /**
   * The webhook payload's `data` instead of the default (subject, actor and `data`), for an event whose
   * audit row must not carry what its receivers need: `user.deleted` names the real user id to the
   * tenant's endpoints while the row keeps the pseudonym (erase-user.ts).
   */
  webhookData?: Record<string, unknown>;
}

/** What recording needs: the queue consumer (workers/webhooks) records too, without the request-only ports. */
export type AuditDeps = Pick<CoreDeps, "storage" | "ids" | "clock" | "events">;

export async function recordAuditEvent(deps: AuditDeps, scope: TenantScope, input: AuditInput): Promise<void> {
  const event: AuditEvent = {
    id: deps.ids.newId("evt"),
    tenantId: scope.tenant.id,
    type: input.type,
    actorType: input.actor.type,
    actorId: actorId(input.actor),
    subjectId: input.subjectId ?? null,
    ip: scope.request.ip,
    userAgent: scope.request.userAgent,
    data: input.data ?? {},
    createdAt: deps.clock.now(),
  };
  await deps.storage.audit.append(event);
  await publishWebhookEvent(deps, event, input.webhookData);
}
