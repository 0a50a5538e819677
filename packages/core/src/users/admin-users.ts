import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { definedKeys } from "./defined-keys";
import { eraseUser } from "./erase-user";
import { newUser } from "./new-user";
import { normalizeEmail } from "../identities/email";
import type { User, UserRole } from "../model";
import { assertPasswordAllowed } from "../passwords/password-policy";
import { revocationTarget } from "../sessions/revocation-target";
import type { Page, UserListQuery, UserPatch } from "../ports/repositories";

export async function getUser(deps: CoreDeps, scope: TenantScope, userId: string): Promise<User> {
  const user = await deps.storage.users.getById(scope.tenant.id, userId);
  if (!user) throw new PlintoError("not_found", { detail: "no user with this id" });
  return user;
}

export async function listUsers(deps: CoreDeps, query: UserListQuery): Promise<Page<User>> {
  return deps.storage.users.list(query);
}

export interface AdminCreateUserInput {
  email: string;
  password?: string;
  /** Imported hash (argon2/bcrypt/scrypt/PBKDF2), upgraded to argon2id on next sign-in. */
  passwordHash?: string;
  name?: string;
  emailVerified?: boolean;
  role?: UserRole;
}

export async function adminCreateUser(
  deps: CoreDeps,
  scope: TenantScope,
  input: AdminCreateUserInput,
  actor: Actor,
): Promise<User> {
  if (input.password !== undefined && input.passwordHash !== undefined) {
    throw new PlintoError("validation_failed", {
      errors: [{ path: "password_hash", message: "give password or password_hash, not both", code: "exclusive" }],
    });
  }
  const emailNormalized = normalizeEmail(input.email);
  if (input.password !== undefined) {
    assertPasswordAllowed(input.password, scope.tenant.settings.password_policy, emailNormalized);
  }
  const user = newUser(deps, scope, {
    email: input.email,
    passwordHash: input.password !== undefined ? await deps.hasher.hash(input.password) : (input.passwordHash ?? null),
    name: input.name,
    emailVerified: input.emailVerified,
    role: input.role,
  });
  await deps.storage.users.create(user);
  await recordAuditEvent(deps, scope, {
    type: "user.created",
    actor,
    subjectId: user.id,
    data: { via: "admin", imported_hash: input.passwordHash !== undefined },
  });
  return user;
}

export interface AdminUpdateUserInput {
  name?: string | null;
  email?: string;
  emailVerified?: boolean;
  metadata?: Record<string, unknown>;
  role?: UserRole;
}

export async function adminUpdateUser(
  deps: CoreDeps,
  scope: TenantScope,
  userId: string,
  input: AdminUpdateUserInput,
  actor: Actor,
): Promise<User> {
  const user = await getUser(deps, scope, userId);
  const emailChanged = input.email !== undefined && normalizeEmail(input.email) !== user.emailNormalized;
  const patch: UserPatch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email.trim(), emailNormalized: normalizeEmail(input.email) } : {}),
    ...(input.emailVerified !== undefined || emailChanged ? { emailVerified: input.emailVerified ?? false } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    updatedAt: deps.clock.now(),
  };
  await deps.storage.users.update(scope.tenant.id, userId, patch);
  const updated: User = { ...user, ...patch };
  await recordAuditEvent(deps, scope, { type: "user.updated", actor, subjectId: userId, data: { fields: definedKeys(input) } });
  return updated;
}

/** Bans the user and revokes all their sessions at once. */
export async function banUser(
  deps: CoreDeps,
  scope: TenantScope,
  userId: string,
  reason: string | null,
  actor: Actor,
): Promise<User> {
  const user = await getUser(deps, scope, userId);
  const now = deps.clock.now();
  const patch: UserPatch = { bannedAt: user.bannedAt ?? now, banReason: reason, updatedAt: now };
  await deps.storage.users.update(scope.tenant.id, userId, patch);
  const updated: User = { ...user, ...patch };
  const revoked = await deps.sessions.forUser(scope.tenant.id, userId).revokeAll("user_banned", now, revocationTarget(scope));
  await recordAuditEvent(deps, scope, {
    type: "user.banned",
    actor,
    subjectId: userId,
    data: { reason, revoked_sessions: revoked.length },
  });
  return updated;
}

export async function unbanUser(deps: CoreDeps, scope: TenantScope, userId: string, actor: Actor): Promise<User> {
  const user = await getUser(deps, scope, userId);
  const patch: UserPatch = { bannedAt: null, banReason: null, updatedAt: deps.clock.now() };
  await deps.storage.users.update(scope.tenant.id, userId, patch);
  const updated: User = { ...user, ...patch };
  await recordAuditEvent(deps, scope, { type: "user.unbanned", actor, subjectId: userId });
  return updated;
}

/** Deletes a user: the full erasure (users/erase-user.ts). */
export async function deleteUser(deps: CoreDeps, scope: TenantScope, userId: string, actor: Actor): Promise<void> {
  await eraseUser(deps, scope, userId, actor);
}
