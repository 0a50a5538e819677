import { env } from "cloudflare:workers";
import type {
  CreateSessionInput,
  RevocationTarget,
  RotateRefreshTokenInput,
} from "../../packages/core/src/ports/session-store";

export const SECOND = 1000;
export const HOUR = 3600 * SECOND;
export const DAY = 24 * HOUR;
/** A fixed time near the real clock, so cleanup alarms planned from it lie in the future. */
export const T0 = Math.floor(Date.now() / DAY) * DAY + DAY;

/** A fresh object per test: no test sees another's rows. */
export function store(name = `t1:${crypto.randomUUID()}`) {
  return env.SESSION_STORE.getByName(name);
}

export function session(overrides: Partial<CreateSessionInput> = {}): CreateSessionInput {
  return {
    sessionId: crypto.randomUUID(),
    userId: "u1",
    refreshTokenHash: `h-${crypto.randomUUID()}`,
    now: T0,
    absoluteTtlSeconds: 30 * 24 * 3600,
    idleTtlSeconds: 7 * 24 * 3600,
    ip: "192.0.2.1",
    userAgent: "test-agent",
    amr: ["pwd"],
    ...overrides,
  };
}

/** Revocations in these tests go to a list of their own. */
export const TARGET: RevocationTarget = { list: "session-store-tests", accessTokenTtlSeconds: 900 };

export function rotation(presentedHash: string, overrides: Partial<RotateRefreshTokenInput> = {}): RotateRefreshTokenInput {
  return {
    presentedHash,
    nextHash: `h-${crypto.randomUUID()}`,
    now: T0 + HOUR,
    ip: "198.51.100.7",
    userAgent: "other-agent",
    idleTtlSeconds: 7 * 24 * 3600,
    revocation: TARGET,
    ...overrides,
  };
}
