import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { storageFor } from "../../workers/api/storage";
import { describe, expect, it } from "vitest";
import worker from "../../workers/api/index";
import { createTenant } from "./helpers";

describe("scheduled purge of expired one-time tokens", () => {
  it("deletes expired rows and keeps live ones", async () => {
    const tenant = await createTenant();
    const tokens = storageFor(env).oneTimeTokens;
    const now = Date.now();
    const row = (id: string, expiresAt: number) => ({
      id,
      tenantId: tenant.id,
      purpose: "magic_link" as const,
      subject: "someone@example.com",
      codeHash: null,
      attempts: 0,
      data: {},
      createdAt: now - 60_000,
      expiresAt,
    });
    await tokens.put(row(`expired-${tenant.id}`, now - 1));
    await tokens.put(row(`live-${tenant.id}`, now + 60_000));

    const controller = createScheduledController({ scheduledTime: now, cron: "*/15 * * * *" });
    await worker.scheduled(controller, env);

    expect(await tokens.consume(tenant.id, "magic_link", `expired-${tenant.id}`, 0)).toBeNull();
    expect(await tokens.consume(tenant.id, "magic_link", `live-${tenant.id}`, now)).not.toBeNull();
  });
});
