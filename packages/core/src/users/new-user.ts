import type { CoreDeps, TenantScope } from "../deps";
import { normalizeEmail } from "../identities/email";
import type { User, UserRole } from "../model";

export interface NewUserFields {
  email: string;
  passwordHash: string | null;
  name?: string;
  emailVerified?: boolean;
  role?: UserRole;
  /** Set when the new user is signed in at once (sign-up). */
  signedInNow?: boolean;
}

/** A user record as every creation path makes it: typed email kept, normalised email for look-ups. */
export function newUser(deps: CoreDeps, scope: TenantScope, fields: NewUserFields): User {
  const now = deps.clock.now();
  return {
    id: deps.ids.newId("usr"),
    tenantId: scope.tenant.id,
    email: fields.email.trim(),
    emailNormalized: normalizeEmail(fields.email),
    emailVerified: fields.emailVerified ?? false,
    passwordHash: fields.passwordHash,
    name: fields.name ?? null,
    metadata: {},
    role: fields.role ?? "user",
    bannedAt: null,
    banReason: null,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: fields.signedInNow ? now : null,
  };
}
