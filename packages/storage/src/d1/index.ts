import { PlintoError, type Storage } from "@plinto/core";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { apiKeys, signingKeys, tenants } from "@plinto/schema/sqlite";
import { d1ApiKeys } from "./api-keys";
import { d1Audit } from "./audit";
import { d1EmailTemplates } from "./email-templates";
import { d1OneTimeTokens } from "./one-time-tokens";
import { d1RecoveryCodes } from "./recovery-codes";
import { d1Passkeys } from "./passkeys";
import { d1WebhookDeliveries } from "./webhook-deliveries";
import { d1WebhookEndpoints } from "./webhook-endpoints";
import { d1OAuthClients } from "./oauth-clients";
import { d1OAuthConsents } from "./oauth-consents";
import { d1OAuthGrants } from "./oauth-grants";
import { d1LinkedIdentities } from "./linked-identities";
import { d1UpstreamConnections } from "./upstream-connections";
import { signingKeyToRow, tenantToRow, uniqueViolationAs } from "./rows";
import { d1SigningKeys } from "./signing-keys";
import { d1Tenants } from "./tenants";
import { d1TotpFactors } from "./totp-factors";
import { d1Users } from "./users";
import { isD1Unavailable } from "./unavailable";
import { guardStorage } from "../guard";
import { d1Invitations } from "./invitations";
import { d1Memberships } from "./memberships";
import { d1Organizations } from "./organizations";
import { d1CustomRoles, d1Policies } from "./roles-policies";

/** Storage port on Cloudflare D1 through drizzle-orm; D1 outages surface as `storage_unavailable` (./unavailable.ts). */
export function createD1Storage(binding: D1Database): Storage {
  const db = drizzle(binding);
  const storage: Storage = {
    tenants: d1Tenants(db),
    users: d1Users(db),
    signingKeys: d1SigningKeys(db),
    apiKeys: d1ApiKeys(db),
    audit: d1Audit(db),
    oneTimeTokens: d1OneTimeTokens(db),
    emailTemplates: d1EmailTemplates(db),
    totpFactors: d1TotpFactors(db),
    recoveryCodes: d1RecoveryCodes(db),
    passkeys: d1Passkeys(db),
    organizations: d1Organizations(db),
    memberships: d1Memberships(db),
    invitations: d1Invitations(db),
    customRoles: d1CustomRoles(db),
    policies: d1Policies(db),
    webhookEndpoints: d1WebhookEndpoints(db),
    webhookDeliveries: d1WebhookDeliveries(db),
    oauthClients: d1OAuthClients(db),
    oauthGrants: d1OAuthGrants(db),
    oauthConsents: d1OAuthConsents(db),
    upstreamConnections: d1UpstreamConnections(db),
    linkedIdentities: d1LinkedIdentities(db),
    async bootstrapTenant({ tenant, signingKey, apiKey }) {
      await db
        .batch([
          db.insert(tenants).values(tenantToRow(tenant)),
          db.insert(signingKeys).values(signingKeyToRow(signingKey)),
          db.insert(apiKeys).values(apiKey),
        ])
        .catch(uniqueViolationAs(() => new PlintoError("slug_taken")));
    },
    async ping() {
      await db.run(sql`select 1`);
    },
  };
  return guardStorage(storage, isD1Unavailable);
}
