import { defaultTenantSettings } from "@plinto/contracts";
import type { ApiKey, AuditEvent, OneTimeToken, Passkey, SigningKey, Storage, Tenant, TotpFactor, User } from "@plinto/core";

let counter = 0;
/** Ids unique in the run that still sort by creation within a test (the suffix grows). */
export const newId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${(++counter).toString(36).padStart(6, "0")}`;

export const NOW = 1_900_000_000_000;

export const tenantRow = (overrides: Partial<Tenant> = {}): Tenant => {
  const id = newId("ten");
  return { id, slug: id.replace("_", "-"), name: "Contract", settings: defaultTenantSettings, createdAt: NOW, updatedAt: NOW, ...overrides };
};

export const userRow = (tenantId: string, overrides: Partial<User> = {}): User => {
  const id = newId("usr");
  const email = `${id}@example.com`;
  return {
    id,
    tenantId,
    email,
    emailNormalized: email.toLowerCase(),
    emailVerified: false,
    passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
    name: null,
    metadata: { plan: "free" },
    role: "user",
    bannedAt: null,
    banReason: null,
    createdAt: NOW,
    updatedAt: NOW,
    lastSignInAt: null,
    ...overrides,
  };
};

export const signingKeyRow = (tenantId: string, overrides: Partial<SigningKey> = {}): SigningKey => ({
  kid: newId("key"),
  tenantId,
  alg: "ES256",
  status: "active",
  publicJwk: { kty: "EC", crv: "P-256", x: "x", y: "y" },
  privateJwkEncrypted: "ciphertext",
  createdAt: NOW,
  retiredAt: null,
  publishUntil: null,
  ...overrides,
});

export const apiKeyRow = (tenantId: string, overrides: Partial<ApiKey> = {}): ApiKey => {
  const id = newId("sk");
  return { id, tenantId, name: "server", prefix: "sk_test_ab", secretHash: `hash-${id}`, createdAt: NOW, lastUsedAt: null, revokedAt: null, ...overrides };
};

export const auditRow = (tenantId: string, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
  id: newId("evt"),
  tenantId,
  type: "user.created",
  actorType: "system",
  actorId: null,
  subjectId: null,
  ip: "203.0.113.9",
  userAgent: "contract",
  data: { via: "test" },
  createdAt: NOW,
  ...overrides,
});

export const tokenRow = (tenantId: string, overrides: Partial<OneTimeToken> = {}): OneTimeToken => ({
  id: newId("ott"),
  tenantId,
  purpose: "magic_link",
  subject: "someone@example.com",
  codeHash: null,
  attempts: 0,
  data: { redirect: "/home" },
  createdAt: NOW,
  expiresAt: NOW + 60_000,
  ...overrides,
});

export const passkeyRow = (tenantId: string, userId: string, overrides: Partial<Passkey> = {}): Passkey => {
  const id = newId("pk");
  return {
    id,
    tenantId,
    userId,
    credentialId: `cred-${id}`,
    publicKey: "pQECAyYgASFYIA",
    counter: 0,
    transports: ["internal", "hybrid"],
    deviceType: "multiDevice",
    backedUp: true,
    aaguid: null,
    name: "Laptop",
    createdAt: NOW,
    lastUsedAt: null,
    ...overrides,
  };
};

export const totpRow = (tenantId: string, userId: string, overrides: Partial<TotpFactor> = {}): TotpFactor => ({
  id: newId("mfa"),
  tenantId,
  userId,
  status: "pending",
  secretEncrypted: "sealed-secret",
  lastUsedStep: null,
  createdAt: NOW,
  activatedAt: null,
  ...overrides,
});

/** A tenant that exists in `storage` (every row hangs off one through a foreign key). */
export async function givenTenant(storage: Storage): Promise<Tenant> {
  const tenant = tenantRow();
  await storage.tenants.create(tenant);
  return tenant;
}

export async function givenUser(storage: Storage, tenantId: string, overrides: Partial<User> = {}): Promise<User> {
  const user = userRow(tenantId, overrides);
  await storage.users.create(user);
  return user;
}
