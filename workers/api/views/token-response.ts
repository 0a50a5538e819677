import type { IssuedTokens, User } from "@plinto/core";
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
