import { defaultTenantSettings } from "@plinto/contracts";
import { describe, expect, it } from "vitest";
import type { CoreDeps, TenantScope } from "../deps";
import { ManualClock } from "../ports/clock";
import type { OAuthClient } from "../ports/oauth-repositories";
import type { RateLimitDecision, RateLimiter, RateLimitRule } from "../ports/rate-limiter";
import { limitTokenRequests, REQUESTS_PER_LEASE, TOKEN_REQUESTS_PER_CLIENT } from "./client-rate-limit";

/** A bucket per key with `capacity` tokens and no refill: enough to count what the lease takes. */
class CountingLimiter implements Pick<RateLimiter, "consume"> {
  readonly calls: RateLimitRule[] = [];
  constructor(private capacity: number) {}
  async consume(_key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    this.calls.push(rule);
    if (this.capacity <= 0) return { allowed: false, remaining: 0, retryAfterSeconds: 7 };
    this.capacity -= 1;
    return { allowed: true, remaining: this.capacity, retryAfterSeconds: 0 };
  }
}

function setup(capacity: number) {
  const clock = new ManualClock(Date.UTC(2026, 10, 29, 12));
  const limiter = new CountingLimiter(capacity);
  const deps = { clock, rateLimiter: limiter } as unknown as CoreDeps; // the function uses only these two ports
  const tenantId = `ten_${crypto.randomUUID()}`;
  const scope = {
    tenant: { id: tenantId, slug: "acme", name: "Acme", settings: defaultTenantSettings, createdAt: 0, updatedAt: 0 },
    issuer: "https://auth.example/t/acme",
    request: { ip: null, userAgent: null },
  } satisfies TenantScope;
  const client = { id: `cli_${crypto.randomUUID()}` } as OAuthClient;
  return { clock, limiter, deps, scope, client };
}

describe("token endpoint rate limit per client", () => {
  it("takes one token from the client's bucket per lease of REQUESTS_PER_LEASE requests, before the lease's first request", async () => {
    const { limiter, deps, scope, client } = setup(100);
    for (let i = 0; i < 2 * REQUESTS_PER_LEASE + 1; i++) await limitTokenRequests(deps, scope, client);
    expect(limiter.calls).toHaveLength(3);
    expect(limiter.calls[0]).toEqual({ limit: Math.floor(TOKEN_REQUESTS_PER_CLIENT.limit / REQUESTS_PER_LEASE), windowSeconds: 60 });
  });

  it("refuses with rate_limited and Retry-After once the bucket is empty, locally until the retry time", async () => {
    const { clock, limiter, deps, scope, client } = setup(1);
    for (let i = 0; i < REQUESTS_PER_LEASE; i++) await limitTokenRequests(deps, scope, client);
    await expect(limitTokenRequests(deps, scope, client)).rejects.toMatchObject({ code: "rate_limited", options: { retryAfterSeconds: 7 } });
    await expect(limitTokenRequests(deps, scope, client)).rejects.toMatchObject({ code: "rate_limited" });
    expect(limiter.calls).toHaveLength(2);
    clock.advance(7_000);
    await expect(limitTokenRequests(deps, scope, client)).rejects.toMatchObject({ code: "rate_limited" });
    expect(limiter.calls).toHaveLength(3);
  });
});
