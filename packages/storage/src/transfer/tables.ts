/**
 * Every tenant-scoped table, parents before children (the order rows are
 * exported and inserted in, so foreign keys always find their parent). A new
 * table with a `tenant_id` column goes here, or into NOT_EXPORTED with the
 * reason: tables.test.ts fails until it is in one of them, and checks the order.
 */
export const TENANT_TABLES = [
  "tenants",
  "users",
  "signing_keys",
  "api_keys",
  "audit_events",
  "one_time_tokens",
  "totp_factors",
  "recovery_codes",
  "passkeys",
  "email_templates",
  "organizations",
  "organization_roles",
  "organization_members",
  "organization_invitations",
  "policy_sets",
  "webhook_endpoints",
  "webhook_deliveries",
  "oauth_clients",
  "oauth_grants",
  "oauth_consents",
  "upstream_connections",
  "linked_identities",
] as const;

/** Tables with a `tenant_id` that a tenant export leaves out, and why. */
export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  dev_mailbox: "local development mail only (the dev mailer's outbox), never production data",
};

/** Rows read per query while exporting (bounded memory per page on both backends). */
export const EXPORT_PAGE_ROWS = 500;
