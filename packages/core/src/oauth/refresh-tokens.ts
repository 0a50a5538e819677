import { randomSecret } from "../crypto/secrets";

/**
 * OAuth refresh tokens: `ort_{userId}.{256-bit secret}`. The user id routes the
 * token to its session-store object like first-party `rt_` tokens
 * (sessions/refresh-token.ts); the distinct prefix is part of the hashed value,
 * so /api/v1/sessions/refresh refuses OAuth tokens and the token endpoint
 * refuses first-party ones, and neither can be relabelled as the other.
 */
const OAUTH_REFRESH_TOKEN_PATTERN = /^ort_(usr_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

export function newOAuthRefreshToken(userId: string): string {
  return `ort_${userId}.${randomSecret(32)}`;
}

/** The user an OAuth refresh token belongs to, or null when it is not one. */
export function oauthRefreshTokenUserId(token: string): string | null {
  return OAUTH_REFRESH_TOKEN_PATTERN.exec(token)?.[1] ?? null;
}
