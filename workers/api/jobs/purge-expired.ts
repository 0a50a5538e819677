import type { OneTimeTokenRepository } from "@plinto/core";

/** Rows deleted per statement, so one run never holds the database for long. */
const BATCH = 500;
/** Upper bound per run; the next cron run picks up the rest. */
const MAX_BATCHES = 40;

/**
 * Deletes expired one-time tokens (email links and codes, MFA and WebAuthn
 * challenges). Expired rows are already unusable (every redemption checks
 * `expires_at`); this only keeps the table small. Returns how many went.
 */
export async function purgeExpiredOneTimeTokens(tokens: OneTimeTokenRepository, now: number): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch++) {
    const deleted = await tokens.purgeExpired(now, BATCH);
    total += deleted;
    if (deleted < BATCH) break;
  }
  return total;
}
