import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { sendVerificationEmail } from "../email/email-verification";
import { resolveLinkBase } from "../email/links";
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
  /** Where the verification link points; see resolveLinkBase. */
  redirectUrl?: string;
}

export type SignUpResult =
  | { status: "signed_in"; user: User; tokens: IssuedTokens }
  /** settings.email.verification is "required": no session until the address is verified. */
  | { status: "email_verification_required"; user: User };

/**
 * Creates a password identity (one argon2id hash), mails a verification link
 * after the response, and signs the user in unless the tenant requires a
 * verified address first.
 */
export async function signUp(deps: CoreDeps, scope: TenantScope, input: SignUpInput): Promise<SignUpResult> {
  const { settings } = scope.tenant;
  const linkBase = resolveLinkBase(scope, input.redirectUrl);
  // Required verification with no way to deliver it would create an account nobody can use.
  if (settings.email.verification === "required" && deps.mailer.unavailable) {
    throw new PlintoError("mail_unavailable", { detail: deps.mailer.unavailable });
  }
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
    signedInNow: settings.email.verification !== "required",
  });
  await deps.storage.users.create(user);
  const actor = { type: "user", userId: user.id, sessionId: "", role: "user" } as const;
  await recordAuditEvent(deps, scope, { type: "user.created", actor, subjectId: user.id, data: { via: "sign_up" } });
  await afterResponse(scope, () => sendVerificationEmail(deps, scope, user, linkBase));
  if (settings.email.verification === "required") return { status: "email_verification_required", user };
  const tokens = await startSession(deps, scope, user.id, ["pwd"]);
  await recordAuditEvent(deps, scope, {
    type: "session.created",
    actor: { ...actor, sessionId: tokens.session.id },
    subjectId: user.id,
    data: { session_id: tokens.session.id },
  });
  return { status: "signed_in", user, tokens };
}
