import type { SessionStore, UserSessions } from "@plinto/core";

/** SessionStore port over the session-store Durable Object: one object per `{tenantId}:{userId}`. */
export function durableObjectSessions(namespace: Env["SESSION_STORE"]): SessionStore {
  return {
    forUser: (tenantId, userId): UserSessions => namespace.getByName(`${tenantId}:${userId}`),
  };
}
