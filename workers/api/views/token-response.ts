import type { IssuedTokens, SignInResult, User } from "@plinto/core";
import { userView } from "./views";

/** RFC 6749 §5.1 field names, plus the session id and (after sign-in) the user. */
export function tokenResponse(tokens: IssuedTokens, user?: User) {
  return {
    access_token: tokens.accessToken,
    token_type: "Bearer" as const,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken,
    session_id: tokens.session.id,
    ...(user ? { user: userView(user) } : {}),
  };
}

/** The body of any sign-in answer: tokens, or the MFA challenge (`mfa_required`). */
export function signInResponse(result: SignInResult) {
  if (result.status === "signed_in") return tokenResponse(result.tokens, result.user);
  return {
    status: "mfa_required" as const,
    mfa_token: result.mfaToken,
    expires_in: result.expiresIn,
    factors: result.factors,
    enrollment_required: result.enrollmentRequired,
  };
}
