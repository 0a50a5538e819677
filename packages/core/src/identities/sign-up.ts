import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import type { User } from "../model";
import { assertPasswordAllowed } from "../passwords/password-policy";
import { enforceRateLimit } from "../sessions/rate-limits";
import { type IssuedTokens, startSession } from "../sessions/issue-tokens";
import { newUser } from "../users/new-user";
import { normalizeEmail } from "./email";

export interface SignUpInput {
  email: string;
  password: string;
  name?: string;
}

/** Creates a password identity and signs it in (one argon2id hash, no second round trip). */
export async function signUp(
  deps: CoreDeps,
  scope: TenantScope,
  input: SignUpInput,
): Promise<{ user: User; tokens: IssuedTokens }> {
  const { settings } = scope.tenant;
  await enforceRateLimit(deps, scope, "sign_up:ip", scope.request.ip, {
    limit: settings.rate_limits.sign_up_per_hour_per_ip,
    windowSeconds: 3_600,
  });
  const emailNormalized = normalizeEmail(input.email);
  assertPasswordAllowed(input.password, settings.password_policy, emailNormalized);
  const user = newUser(deps, scope, {
    email: input.email,
    passwordHash: await deps.hasher.hash(input.password),
    name: input.name,
    signedInNow: true,
  });
  await deps.storage.users.create(user);
  const actor = { type: "user", userId: user.id, sessionId: "", role: "user" } as const;
  await recordAuditEvent(deps, scope, { type: "user.created", actor, subjectId: user.id, data: { via: "sign_up" } });
  const tokens = await startSession(deps, scope, user.id, ["pwd"]);
  await recordAuditEvent(deps, scope, {
    type: "session.created",
    actor: { ...actor, sessionId: tokens.session.id },
    subjectId: user.id,
    data: { session_id: tokens.session.id },
  });
  return { user, tokens };
}
