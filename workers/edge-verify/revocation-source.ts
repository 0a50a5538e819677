import { type RevocationSnapshot, revocationSnapshotSchema } from "@plinto/contracts";
import type { EdgeVerifyBindings, RevocationListRpc } from "./bindings";

/** Counts how often the verifier had to ask past its memory and the Cache API (the benchmark's "DO calls"). */
export interface SourceCounter {
  durableObjectCalls: number;
  apiCalls: number;
}

/**
 * Where snapshots come from when memory and the Cache API are stale: the
 * tenant's revocation-list object directly, or the api worker's
 * `GET /t/{tenant}/api/v1/revocations` when no Durable Object binding exists.
 */
export function revocationSource(env: EdgeVerifyBindings, counter: SourceCounter, now: () => number) {
  return async (tenant: string): Promise<RevocationSnapshot> => {
    if (env.REVOCATION_LIST) {
      counter.durableObjectCalls += 1;
      const list = env.REVOCATION_LIST.getByName(tenant) as unknown as RevocationListRpc;
      return list.snapshot(tenant, now());
    }
    counter.apiCalls += 1;
    const response = await env.API.fetch(`${env.PLINTO_ORIGIN}/t/${tenant}/api/v1/revocations`);
    if (!response.ok) throw new Error(`revocation snapshot request failed with status ${response.status}`);
    return revocationSnapshotSchema.parse(await response.json());
  };
}
