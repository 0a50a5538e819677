import { PlintoError, type Storage } from "@plinto/core";
import { apiKeys, signingKeys, tenants } from "@plinto/schema/pg";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { uniqueViolationAs } from "../errors";
import { guardStorage } from "../guard";
import { signingKeyToRow, tenantToRow } from "../rows";
import { pgApiKeys } from "./api-keys";
import { pgAudit } from "./audit";
import { isPgConnectionFailure } from "./connection-failure";
import { pgEmailTemplates } from "./email-templates";
import { pgOneTimeTokens } from "./one-time-tokens";
import { pgPasskeys } from "./passkeys";
import { pgWebhookDeliveries } from "./webhook-deliveries";
import { pgWebhookEndpoints } from "./webhook-endpoints";
import { pgOAuthClients } from "./oauth-clients";
import { pgOAuthConsents } from "./oauth-consents";
import { pgOAuthGrants } from "./oauth-grants";
import { pgLinkedIdentities } from "./linked-identities";
import { pgUpstreamConnections } from "./upstream-connections";
import { pgRecoveryCodes } from "./recovery-codes";
import { pgSigningKeys } from "./signing-keys";
import { pgTenants } from "./tenants";
import { pgTotpFactors } from "./totp-factors";
import { pgUsers } from "./users";
import { pgInvitations } from "./invitations";
import { pgMemberships } from "./memberships";
import { pgOrganizations } from "./organizations";
import { pgCustomRoles, pgPolicies } from "./roles-policies";

/**
 * Storage port on PostgreSQL through drizzle-orm's postgres-js adapter. The
 * caller owns `client` (one per request on Workers: see workers/api/storage.ts).
 */
export function createPgStorage(client: Sql): Storage {
  const db = drizzle({ client });
  const storage: Storage = {
    tenants: pgTenants(db),
    users: pgUsers(db),
    signingKeys: pgSigningKeys(db),
    apiKeys: pgApiKeys(db),
    audit: pgAudit(db),
    oneTimeTokens: pgOneTimeTokens(db),
    emailTemplates: pgEmailTemplates(db),
    totpFactors: pgTotpFactors(db),
    recoveryCodes: pgRecoveryCodes(db),
    passkeys: pgPasskeys(db),
    organizations: pgOrganizations(db),
    memberships: pgMemberships(db),
    invitations: pgInvitations(db),
    customRoles: pgCustomRoles(db),
    policies: pgPolicies(db),
    webhookEndpoints: pgWebhookEndpoints(db),
    webhookDeliveries: pgWebhookDeliveries(db),
    oauthClients: pgOAuthClients(db),
    oauthGrants: pgOAuthGrants(db),
    oauthConsents: pgOAuthConsents(db),
    upstreamConnections: pgUpstreamConnections(db),
    linkedIdentities: pgLinkedIdentities(db),
    async bootstrapTenant({ tenant, signingKey, apiKey }) {
      await db
        .transaction(async (tx) => {
          await tx.insert(tenants).values(tenantToRow(tenant));
          await tx.insert(signingKeys).values(signingKeyToRow(signingKey));
          await tx.insert(apiKeys).values(apiKey);
        })
        .catch(uniqueViolationAs(() => new PlintoError("slug_taken")));
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
  };
  // Closing is never a storage failure to report: it runs after the response.
  return { ...guardStorage(storage, isPgConnectionFailure), close: () => client.end({ timeout: 5 }) };
}
