import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RevocationList } from "./index";

const NOW = Date.now();
const MINUTE = 60_000;
const list = () => env.REVOCATION_LIST.getByName(`tenant-${crypto.randomUUID()}`);

describe("revocation list", () => {
  it("starts empty at epoch 0", async () => {
    const snapshot = await list().snapshot("acme", NOW);
    expect(snapshot).toEqual({ tenant: "acme", epoch: 0, generated_at: NOW, sessions: {}, tokens: {}, keys: {} });
  });

  it("lists revoked sessions, tokens and keys until their end, with a growing epoch", async () => {
    const stub = list();
    expect(await stub.revoke([{ kind: "session", id: "ses_1", until: NOW + 15 * MINUTE }], NOW)).toBe(1);
    expect(
      await stub.revoke(
        [
          { kind: "token", id: "jti_1", until: NOW + 5 * MINUTE },
          { kind: "key", id: "key_1", until: NOW + 20 * MINUTE },
        ],
        NOW,
      ),
    ).toBe(2);
    const snapshot = await stub.snapshot("acme", NOW + MINUTE);
    expect(snapshot.epoch).toBe(2);
    expect(snapshot.sessions).toEqual({ ses_1: NOW + 15 * MINUTE });
    expect(snapshot.tokens).toEqual({ jti_1: NOW + 5 * MINUTE });
    expect(snapshot.keys).toEqual({ key_1: NOW + 20 * MINUTE });
    const later = await stub.snapshot("acme", NOW + 10 * MINUTE);
    expect(later.tokens).toEqual({});
    expect(later.sessions).toEqual({ ses_1: NOW + 15 * MINUTE });
  });

  it("keeps the later end when an id is revoked twice, and ignores entries already over", async () => {
    const stub = list();
    await stub.revoke([{ kind: "session", id: "ses_1", until: NOW + 15 * MINUTE }], NOW);
    await stub.revoke([{ kind: "session", id: "ses_1", until: NOW + 5 * MINUTE }], NOW);
    await stub.revoke([{ kind: "session", id: "ses_old", until: NOW - 1 }], NOW);
    const snapshot = await stub.snapshot("acme", NOW);
    expect(snapshot.sessions).toEqual({ ses_1: NOW + 15 * MINUTE });
  });

  it("prunes ended entries in its alarm and re-arms for the next", async () => {
    const stub = list();
    await stub.revoke(
      [
        { kind: "session", id: "soon", until: NOW - MINUTE + 1 },
        { kind: "session", id: "later", until: NOW + 60 * MINUTE },
      ],
      NOW - MINUTE,
    );
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const rows = await runInDurableObject(stub, (_instance: RevocationList, state) =>
      state.storage.sql.exec<{ id: string }>("SELECT id FROM entries").toArray(),
    );
    expect(rows.map((row) => row.id)).toEqual(["later"]);
    expect(await runInDurableObject(stub, (_instance: RevocationList, state) => state.storage.getAlarm())).toBe(NOW + 60 * MINUTE);
  });
});
