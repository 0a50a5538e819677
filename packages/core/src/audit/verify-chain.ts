import type { CoreDeps } from "../deps";
import { GENESIS_HASH, personalDigest, rowHash, type ChainedAuditEvent } from "./chain-hash";

export type ChainBreakReason =
  /** Rows before this one are missing (deleted): its seq is not the next number. */
  | "seq_gap"
  /** The row does not point at its predecessor's hash: rows were reordered, replaced or renumbered. */
  | "prev_hash_mismatch"
  /** The row's public content (type, time, actor type, seq, id, personal digest) was edited. */
  | "hash_mismatch"
  /** The row's personal content (actor id, subject id, ip, user agent, data) was edited. */
  | "personal_digest_mismatch";

export interface ChainBreak {
  seq: number;
  id: string;
  reason: ChainBreakReason;
  /** The seq the walk expected at this point. */
  expectedSeq: number;
}

export interface ChainVerification {
  intact: boolean;
  /** Rows checked up to the first break (all of them when intact). */
  checked: number;
  /** Rows whose personal content was pseudonymised: their place and public content verify, their personal columns are outside the proof. */
  pseudonymised: number;
  /** The last row checked; pin it elsewhere to detect a truncated tail later (a hash chain alone cannot). */
  head: { seq: number; hash: string } | null;
  firstBroken: ChainBreak | null;
}

const PAGE_SIZE = 500;

/** Checks one row against the link the walk expects; returns why it breaks the chain, or null. */
async function breakOf(row: ChainedAuditEvent, expectedSeq: number, prevHash: string): Promise<ChainBreakReason | null> {
  const { chain } = row;
  if (chain.seq !== expectedSeq) return "seq_gap";
  if (chain.prevHash !== prevHash) return "prev_hash_mismatch";
  if ((await rowHash(row, chain)) !== chain.hash) return "hash_mismatch";
  if (chain.personalSalt !== null && (await personalDigest(row, chain.personalSalt)) !== chain.personalDigest) {
    return "personal_digest_mismatch";
  }
  return null;
}

/**
 * Walks the tenant's chain from seq 1 in pages and stops at the first broken
 * link. Deletions show as a seq gap (or, if the rest were renumbered, as a
 * prev_hash mismatch), edits as a hash or personal-digest mismatch, swaps as
 * a prev_hash mismatch. Rows written before the chain (no seq) are not part
 * of it (docs/audit.md).
 */
export async function verifyAuditChain(deps: CoreDeps, tenantId: string, pageSize = PAGE_SIZE): Promise<ChainVerification> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let pseudonymised = 0;
  let head: ChainVerification["head"] = null;
  for (;;) {
    const rows = await deps.storage.audit.chain(tenantId, head?.seq ?? 0, pageSize);
    for (const row of rows) {
      const reason = await breakOf(row, expectedSeq, prevHash);
      if (reason) {
        return { intact: false, checked: expectedSeq - 1, pseudonymised, head, firstBroken: { seq: row.chain.seq, id: row.id, reason, expectedSeq } };
      }
      if (row.chain.personalSalt === null) pseudonymised += 1;
      head = { seq: row.chain.seq, hash: row.chain.hash };
      prevHash = row.chain.hash;
      expectedSeq += 1;
    }
    if (rows.length < pageSize) return { intact: true, checked: expectedSeq - 1, pseudonymised, head, firstBroken: null };
  }
}
