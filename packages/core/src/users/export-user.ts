import type { CoreDeps, TenantScope } from "../deps";
import type { AuditEvent, User } from "../model";
import type { TotpFactor } from "../ports/mfa-repositories";
import type { LinkedIdentity, OAuthConsent, UpstreamProviderKind } from "../ports/oauth-repositories";
import type { Invitation, Organization } from "../ports/organization-repositories";
import type { Passkey } from "../ports/passkey-repository";
import type { SessionRecord } from "../ports/session-store";
import { getUser } from "./admin-users";

/**
 * Everything Plinto holds on one user (GDPR Art. 15 access, Art. 20
 * portability), as domain records; workers/api/views/user-export.ts picks the
 * wire fields, which leave out every secret (password hash, TOTP secret,
 * recovery-code and token digests).
 */
export interface UserExport {
  user: User;
  sessions: SessionRecord[];
  totp: TotpFactor | null;
  recoveryCodesRemaining: number;
  passkeys: Passkey[];
  /** Organizations the user belongs to, with the role and when they joined; oldest first. */
  memberships: { organization: Organization; role: string; joinedAt: number }[];
  /** Pending invitations addressed to the user's email, newest first. */
  invitations: (Invitation & { organizationName: string })[];
  /** Remembered OAuth consents, with the client's name (null if the client is gone); oldest first. */
  consents: (OAuthConsent & { clientName: string | null })[];
  /** Accounts at upstream providers, with their connection's name and kind (null if the connection is gone). */
  linkedIdentities: (LinkedIdentity & { connection: { name: string; kind: UpstreamProviderKind } | null })[];
  /** Events whose actor or subject is the user, or whose data names them; oldest first. */
  auditEvents: AuditEvent[];
}

const AUDIT_PAGE = 200;

async function auditEventsAbout(deps: CoreDeps, tenantId: string, user: User): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let afterId: string | null = null;
  do {
    const page = await deps.storage.audit.listMentioning(tenantId, [user.id], [user.emailNormalized], afterId, AUDIT_PAGE);
    events.push(...page.items);
    afterId = page.nextAfterId;
  } while (afterId);
  return events;
}

/** The user's OAuth consents and linked upstream identities, named after their client and connection. */
async function linkedAccountsOf(deps: CoreDeps, tenantId: string, userId: string): Promise<Pick<UserExport, "consents" | "linkedIdentities">> {
  const [consents, identities] = await Promise.all([
    deps.storage.oauthConsents.listForUser(tenantId, userId),
    deps.storage.linkedIdentities.listForUser(tenantId, userId),
  ]);
  const clients = await Promise.all(consents.map((consent) => deps.storage.oauthClients.get(tenantId, consent.clientId)));
  const connections = identities.length === 0 ? [] : await deps.storage.upstreamConnections.list(tenantId);
  const connectionOf = (id: string) => connections.find((connection) => connection.id === id);
  return {
    consents: consents.map((consent, index) => ({ ...consent, clientName: clients[index]?.name ?? null })),
    linkedIdentities: identities.map((identity) => {
      const connection = connectionOf(identity.connectionId);
      return { ...identity, connection: connection ? { name: connection.displayName, kind: connection.kind } : null };
    }),
  };
}

export async function exportUserData(deps: CoreDeps, scope: TenantScope, userId: string): Promise<UserExport> {
  const user = await getUser(deps, scope, userId);
  const tenantId = scope.tenant.id;
  const [sessions, totp, recoveryCodesRemaining, passkeys, memberships, invitations, linkedAccounts, auditEvents] = await Promise.all([
    deps.sessions.forUser(tenantId, userId).list(deps.clock.now()),
    deps.storage.totpFactors.getForUser(tenantId, userId),
    deps.storage.recoveryCodes.count(tenantId, userId),
    deps.storage.passkeys.listForUser(tenantId, userId),
    deps.storage.organizations.listForUser(tenantId, userId),
    deps.storage.invitations.listPendingForEmail(tenantId, user.emailNormalized, deps.clock.now()),
    linkedAccountsOf(deps, tenantId, userId),
    auditEventsAbout(deps, tenantId, user),
  ]);
  return { user, sessions, totp, recoveryCodesRemaining, passkeys, memberships, invitations, ...linkedAccounts, auditEvents };
}
