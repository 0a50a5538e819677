import { randomSecret } from "../crypto/secrets";

/**
 * Refresh tokens are opaque to clients: `rt_{userId}.{256-bit secret}`. The
 * user id routes the token to its session-store object (one per user); only
 * the SHA-256 of the whole token is stored there.
 */
const REFRESH_TOKEN_PATTERN = /^rt_(usr_[0-9A-HJKMNP-TV-Z]{26})\.([A-Za-z0-9_-]{43})$/;

export function newRefreshToken(userId: string): string {
  return `rt_${userId}.${randomSecret(32)}`;
}

/** The user a refresh token belongs to, or null when it is not one of ours. */
export function refreshTokenUserId(token: string): string | null {
  return REFRESH_TOKEN_PATTERN.exec(token)?.[1] ?? null;
}
