import type { UserExportBody } from "@plinto/contracts";
import type { AuditEvent, UserExport } from "@plinto/core";
import { auditEventView, userView } from "./views";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** An event about the user as they may see it: someone else's id, IP and user agent stay out. */
function eventAbout(event: AuditEvent, userId: string): UserExportBody["audit_events"][number] {
  const view = auditEventView(event);
  if (event.actorId === userId) return view;
  return { ...view, actor: { type: event.actorType, id: null }, ip: null, user_agent: null };
}

/** The wire form of a user export (userExportSchema); picks fields, so no secret column can slip in. */
export function userExportView(data: UserExport, now: number): UserExportBody {
  const { user } = data;
  return {
    format: "plinto.user-export.v1",
    exported_at: iso(now),
    profile: userView(user),
    identities: [
      { type: "email", email: user.email, verified: user.emailVerified },
      { type: "password", password_set: user.passwordHash !== null },
    ],
    sessions: data.sessions.map((session) => ({
      id: session.id,
      ip: session.ip,
      user_agent: session.userAgent,
      amr: session.amr,
      created_at: iso(session.createdAt),
      last_used_at: iso(session.lastUsedAt),
      expires_at: iso(Math.min(session.expiresAt, session.idleExpiresAt)),
    })),
    mfa: {
      totp: data.totp ? { status: data.totp.status, created_at: iso(data.totp.createdAt), activated_at: isoOrNull(data.totp.activatedAt) } : null,
      recovery_codes_remaining: data.recoveryCodesRemaining,
    },
    passkeys: data.passkeys.map((passkey) => ({
      id: passkey.id,
      name: passkey.name,
      device_type: passkey.deviceType,
      backed_up: passkey.backedUp,
      transports: passkey.transports,
      aaguid: passkey.aaguid,
      created_at: iso(passkey.createdAt),
      last_used_at: isoOrNull(passkey.lastUsedAt),
    })),
    organizations: data.memberships.map(({ organization, role, joinedAt }) => ({ id: organization.id, name: organization.name, role, joined_at: iso(joinedAt) })),
    invitations: data.invitations.map((invitation) => ({
      id: invitation.id,
      organization_id: invitation.organizationId,
      organization_name: invitation.organizationName,
      role: invitation.role,
      created_at: iso(invitation.createdAt),
      expires_at: iso(invitation.expiresAt),
    })),
    consents: data.consents.map((consent) => ({
      client_id: consent.clientId,
      client_name: consent.clientName,
      scopes: consent.scopes,
      created_at: iso(consent.createdAt),
      updated_at: iso(consent.updatedAt),
    })),
    linked_identities: data.linkedIdentities.map((identity) => ({
      id: identity.id,
      connection_id: identity.connectionId,
      connection_name: identity.connection?.name ?? null,
      provider: identity.connection?.kind ?? null,
      subject: identity.subject,
      email: identity.email,
      profile: identity.profile,
      created_at: iso(identity.createdAt),
      last_sign_in_at: isoOrNull(identity.lastSignInAt),
    })),
    audit_events: data.auditEvents.map((event) => eventAbout(event, user.id)),
  };
}
