import type { SigningAlgorithm, TenantSettings } from "@plinto/contracts";
import type { JWK } from "jose";

/** Domain records as the core sees them. Times are ms since the epoch. */
export interface Tenant {
  id: string;
  slug: string;
  name: string;
  settings: TenantSettings;
  createdAt: number;
  updatedAt: number;
}

export type UserRole = "user" | "admin";

export interface User {
  id: string;
  tenantId: string;
  email: string;
  emailNormalized: string;
  emailVerified: boolean;
  passwordHash: string | null;
  name: string | null;
  metadata: Record<string, unknown>;
  role: UserRole;
  bannedAt: number | null;
  banReason: string | null;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
}

export type SigningKeyStatus = "active" | "retired" | "revoked";

export interface SigningKey {
  kid: string;
  tenantId: string;
  alg: SigningAlgorithm;
  status: SigningKeyStatus;
  publicJwk: JWK;
  privateJwkEncrypted: string;
  createdAt: number;
  retiredAt: number | null;
  publishUntil: number | null;
}

export interface ApiKey {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  secretHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type ActorType = "user" | "api_key" | "operator" | "system" | "anonymous";

export interface AuditEvent {
  id: string;
  tenantId: string;
  type: string;
  actorType: ActorType;
  actorId: string | null;
  subjectId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
  createdAt: number;
}

/** Where a request came from; recorded on sessions and audit events. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}
