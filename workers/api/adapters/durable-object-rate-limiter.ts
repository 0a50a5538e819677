import type { RateLimiter } from "@plinto/core";

/** RateLimiter port over the rate-limiter Durable Object: one object per bucket or account key. */
export function durableObjectRateLimiter(namespace: Env["RATE_LIMITER"]): RateLimiter {
  return {
    consume: (key, rule, now) => namespace.getByName(key).consume(rule, now),
    admitAccount: (key, rule, now) => namespace.getByName(key).admit(rule, now),
    lockStatus: (key, now) => namespace.getByName(key).lockStatus(now),
    recordFailure: (key, policy, now) => namespace.getByName(key).recordFailure(policy, now),
    recordSuccess: async (key) => {
      await namespace.getByName(key).recordSuccess();
    },
  };
}
