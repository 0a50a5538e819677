import type { AuditSeal, ChainedAuditEvent, ChainHead, UnsealedAuditEvent } from "../audit/chain-hash";
import type { ApiKey, AuditEvent, SigningKey, Tenant, User } from "../model";
import type { RecoveryCodeRepository, TotpFactorRepository } from "./mfa-repositories";
import type { EmailTemplateRepository } from "./email-template-repository";
import type { OneTimeTokenRepository } from "./one-time-tokens";
import type {
  LinkedIdentityRepository,
  OAuthClientRepository,
  OAuthConsentRepository,
  OAuthGrantRepository,
  UpstreamConnectionRepository,
} from "./oauth-repositories";
import type { PasskeyRepository } from "./passkey-repository";
import type { WebhookDeliveryRepository, WebhookEndpointRepository } from "./webhook-repositories";
import type {
  CustomRoleRepository,
  InvitationRepository,
  MembershipRepository,
  OrganizationRepository,
  PolicyRepository,
} from "./organization-repositories";

export interface Page<T> {
  items: T[];
  /** Id of the last item when more follow; opaque to clients once encoded. */
  nextAfterId: string | null;
}

export interface TenantRepository {
  /** Fails with `slug_taken` when the slug exists. */
  create(tenant: Tenant): Promise<void>;
  getBySlug(slug: string): Promise<Tenant | null>;
  getById(id: string): Promise<Tenant | null>;
  updateSettings(tenant: Tenant): Promise<void>;
}

export interface UserListQuery {
  tenantId: string;
  afterId: string | null;
  limit: number;
  /** Prefix of the normalised email or of the name. */
  query?: string;
  banned?: boolean;
}

/** The columns an update may set; only those given are written. */
export type UserPatch = Partial<
  Pick<
    User,
    | "email"
    | "emailNormalized"
    | "emailVerified"
    | "passwordHash"
    | "name"
    | "metadata"
    | "role"
    | "bannedAt"
    | "banReason"
    | "updatedAt"
    | "lastSignInAt"
  >
>;

export interface UserRepository {
  /** Fails with `email_taken` when the normalised email exists in the tenant. */
  create(user: User): Promise<void>;
  getById(tenantId: string, userId: string): Promise<User | null>;
  getByEmail(tenantId: string, emailNormalized: string): Promise<User | null>;
  /**
   * Writes only the columns in `patch`, so concurrent updates of different
   * fields (a ban and a profile edit) never undo each other. Fails with
   * `email_taken` on a clash.
   */
  update(tenantId: string, userId: string, patch: UserPatch): Promise<void>;
  delete(tenantId: string, userId: string): Promise<boolean>;
  list(query: UserListQuery): Promise<Page<User>>;
}

export interface SigningKeyRepository {
  insert(key: SigningKey): Promise<void>;
  getActive(tenantId: string): Promise<SigningKey | null>;
  getByKid(tenantId: string, kid: string): Promise<SigningKey | null>;
  /** Active keys and retired keys still inside their publish window. */
  listPublished(tenantId: string, now: number): Promise<SigningKey[]>;
  listAll(tenantId: string): Promise<SigningKey[]>;
  /** Retires the active key and inserts the new one atomically. */
  rotate(retire: { kid: string; retiredAt: number; publishUntil: number } | null, next: SigningKey): Promise<void>;
  revoke(tenantId: string, kid: string, at: number): Promise<boolean>;
}

export interface ApiKeyRepository {
  insert(key: ApiKey): Promise<void>;
  findBySecretHash(secretHash: string): Promise<ApiKey | null>;
  list(tenantId: string): Promise<ApiKey[]>;
  revoke(tenantId: string, id: string, at: number): Promise<boolean>;
  touch(id: string, at: number): Promise<void>;
}

export interface AuditQuery {
  tenantId: string;
  afterId: string | null;
  limit: number;
  type?: string;
  actorId?: string;
  subjectId?: string;
  /** Inclusive lower bound of `createdAt` (ms). */
  from?: number;
  /** Exclusive upper bound of `createdAt` (ms). */
  to?: number;
}

/** The personal columns of an audit row as erasure leaves them (docs/audit.md). */
export interface AuditPseudonymisation {
  actorId: string | null;
  subjectId: string | null;
  ip: null;
  userAgent: null;
  data: Record<string, unknown>;
}

/**
 * The tenant's audit log, a hash chain per tenant (docs/audit.md). An append
 * is one plain insert with its personal digest (`personalSeal`) and no link;
 * the sealer (audit/seal-audit-chain.ts) links unsealed rows afterwards with
 * conditional updates, and a unique (tenant_id, seq) index stops forks.
 */
export interface AuditLog {
  /** Inserts the row unsealed: personal digest and salt set, seq, prev_hash and hash NULL. Never contends. */
  append(event: AuditEvent): Promise<void>;
  /**
   * The tenant's head (highest seq, null before the first seal) and up to `limit`
   * unsealed rows, oldest first by (created_at, id), read together and fresh
   * (on Postgres inside a transaction, which Hyperdrive never answers from cache).
   */
  unsealed(tenantId: string, limit: number): Promise<{ head: ChainHead | null; rows: UnsealedAuditEvent[] }>;
  /**
   * Writes `seals` in order, each only if its row is still unsealed and the row at
   * `seq - 1` holds `prevHash`; stops at the first that does not take (another
   * sealer got there, or took its seq). Returns how many were written.
   */
  seal(tenantId: string, seals: AuditSeal[]): Promise<number>;
  /** Rows appended but not yet sealed (rows from before the chain are not counted). */
  countUnsealed(tenantId: string): Promise<number>;
  /** Up to `limit` tenants that have unsealed rows. */
  tenantsWithUnsealed(limit: number): Promise<string[]>;
  /** Newest first. */
  list(query: AuditQuery): Promise<Page<AuditEvent>>;
  /** Chained rows with `seq > afterSeq`, in chain order, at most `limit`. */
  chain(tenantId: string, afterSeq: number, limit: number): Promise<ChainedAuditEvent[]>;
  /**
   * Rows whose actor_id or subject_id is one of `ids`, or whose data
   * contains one of `needles` (ids, an email), oldest first, by id cursor.
   */
  listMentioning(tenantId: string, ids: string[], needles: string[], afterId: string | null, limit: number): Promise<Page<AuditEvent>>;
  /** Overwrites only the row's personal columns and drops its salt; the chain columns never change. */
  pseudonymise(tenantId: string, id: string, replacement: AuditPseudonymisation): Promise<void>;
}

/** A tenant, its first signing key and its first secret key, written together. */
export interface TenantBootstrap {
  tenant: Tenant;
  signingKey: SigningKey;
  apiKey: ApiKey;
}

export interface Storage {
  tenants: TenantRepository;
  users: UserRepository;
  signingKeys: SigningKeyRepository;
  apiKeys: ApiKeyRepository;
  audit: AuditLog;
  oneTimeTokens: OneTimeTokenRepository;
  emailTemplates: EmailTemplateRepository;
  totpFactors: TotpFactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  passkeys: PasskeyRepository;
  organizations: OrganizationRepository;
  memberships: MembershipRepository;
  invitations: InvitationRepository;
  customRoles: CustomRoleRepository;
  policies: PolicyRepository;
  webhookEndpoints: WebhookEndpointRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  oauthClients: OAuthClientRepository;
  oauthGrants: OAuthGrantRepository;
  oauthConsents: OAuthConsentRepository;
  upstreamConnections: UpstreamConnectionRepository;
  linkedIdentities: LinkedIdentityRepository;
  /** Creates tenant + keys atomically (nothing half written). */
  bootstrapTenant(bootstrap: TenantBootstrap): Promise<void>;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  /** Releases the connection a per-request backend holds (Postgres); absent where there is none (D1). */
  close?(): Promise<void>;
}
