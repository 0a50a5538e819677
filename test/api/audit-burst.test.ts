import { describe, expect, it } from "vitest";
import { allAuditEvents, clockedApi, uniqueEmail } from "./admin-helpers";
import { chainRows, verifyChain } from "./audit-chain-helpers";
import { createTenant, freshIp, STRONG_PASSWORD } from "./helpers";

const SIGN_UP_BURST = 64;

/**
 * Appends never contend (docs/audit.md): a burst of sign-ups in one tenant all
 * succeed, and the sealer links every event afterwards. A file of its own: on
 * the Postgres run each request holds a server connection for a while.
 */
describe("audit chain under a burst of sign-ups", () => {
  it(`${SIGN_UP_BURST} parallel sign-ups in one tenant all answer 201, and every event ends up sealed in one intact chain`, async () => {
    const tenant = await createTenant();
    const api = clockedApi();
    const responses = await Promise.all(
      Array.from({ length: SIGN_UP_BURST }, (_, i) => api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail(`burst${i}`), password: STRONG_PASSWORD }, ip: freshIp() })),
    );
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const verification = await verifyChain(tenant);
    const events = await allAuditEvents(tenant);
    expect(events.filter((event) => event.type === "user.created")).toHaveLength(SIGN_UP_BURST);
    expect(verification).toMatchObject({ intact: true, checked: events.length, unsealed: 0, first_broken: null });
    expect((await chainRows(tenant.id)).map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
  }, 60_000);

});
