import type { LinkedIdentityEntry } from "@plinto/core";

const iso = (ms: number): string => new Date(ms).toISOString();

/** What the API shows of a linked identity: never the stored profile claims, and no tokens (none are kept). */
export const linkedIdentityView = ({ identity, connection }: LinkedIdentityEntry) => ({
  id: identity.id,
  connection: { id: connection.id, slug: connection.slug, display_name: connection.displayName, kind: connection.kind },
  subject: identity.subject,
  email: identity.email,
  created_at: iso(identity.createdAt),
  last_sign_in_at: identity.lastSignInAt === null ? null : iso(identity.lastSignInAt),
});
