import type { RevocationSnapshot } from "@plinto/contracts";

const isRecord = (value: unknown): value is Record<string, number> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Shape check of a snapshot from the source or the Cache API (`revocationSnapshotSchema`, without zod at the edge). */
export function isSnapshotOf(value: unknown, tenant: string): value is RevocationSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const snapshot = value as Partial<Record<keyof RevocationSnapshot, unknown>>;
  return (
    snapshot.tenant === tenant &&
    typeof snapshot.epoch === "number" &&
    isRecord(snapshot.sessions) &&
    isRecord(snapshot.tokens) &&
    isRecord(snapshot.keys)
  );
}

/**
 * True while `id` is listed and its `until` (ms) has not passed. `until` is
 * when every token the entry affects has expired; the clock tolerance is added
 * so a token still inside its `exp` tolerance is refused too. Own properties
 * only: an id such as "constructor" must not hit Object.prototype.
 */
export function isListed(entries: Record<string, number>, id: string, now: number, toleranceMs: number): boolean {
  if (!Object.hasOwn(entries, id)) return false;
  const until = entries[id];
  return typeof until === "number" && now < until + toleranceMs;
}
