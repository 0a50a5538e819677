import { toBase64url, utf8 } from "../crypto/encoding";
import type { AuditEvent } from "../model";
import { canonicalJson } from "./canonical-json";

/** Version of the hashed layout; bump it (and keep verifying old rows by theirs) if the layout ever changes. */
export const AUDIT_CHAIN_VERSION = 1;
/** `prev_hash` of a tenant's first chained row. */
export const GENESIS_HASH = "0".repeat(64);

/** Where a row sits in its tenant's chain, and what seals it (docs/audit.md). */
export interface AuditChainLink {
  seq: number;
  prevHash: string;
  hash: string;
  personalDigest: string;
  /** Null once the row was pseudonymised: its personal columns are then outside the proof. */
  personalSalt: string | null;
}

export type ChainedAuditEvent = AuditEvent & { chain: AuditChainLink };

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Salted digest of the columns that may name a person. The row hash covers
 * this digest instead of the values, so erasure can blank the values (and
 * destroy the salt, leaving a digest nobody can link back to them) while the
 * row hash, and so the chain, still verifies.
 */
export const personalDigest = (event: AuditEvent, salt: string): Promise<string> =>
  sha256Hex(
    canonicalJson({
      salt,
      actor_id: event.actorId,
      subject_id: event.subjectId,
      ip: event.ip,
      user_agent: event.userAgent,
      data: event.data,
    }),
  );

/** The row hash: SHA-256 over the RFC 8785 canonical form of the row's public content and its link. */
export const rowHash = (event: AuditEvent, link: { seq: number; prevHash: string; personalDigest: string }): Promise<string> =>
  sha256Hex(
    canonicalJson({
      v: AUDIT_CHAIN_VERSION,
      tenant_id: event.tenantId,
      seq: link.seq,
      prev_hash: link.prevHash,
      id: event.id,
      type: event.type,
      actor_type: event.actorType,
      created_at: event.createdAt,
      personal_digest: link.personalDigest,
    }),
  );

/** The newest sealed row of a tenant's chain. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** A row appended but not yet linked into the chain: its personal digest was stored at insert, seq/prev_hash/hash are NULL. */
export type UnsealedAuditEvent = AuditEvent & { personalDigest: string };

/** What sealing writes to one unsealed row. */
export interface AuditSeal {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * The personal half of a row, computed once at append: a fresh salt and the
 * salted digest. The sealer links the row later from this stored digest
 * (never recomputed), so an erasure before sealing leaves nothing to undo.
 */
export async function personalSeal(event: AuditEvent): Promise<{ personalDigest: string; personalSalt: string }> {
  const salt = toBase64url(crypto.getRandomValues(new Uint8Array(16)));
  return { personalDigest: await personalDigest(event, salt), personalSalt: salt };
}

/** Links `row` as the row after `head` (null: the tenant's first chained row). */
export async function sealAfter(row: UnsealedAuditEvent, head: ChainHead | null): Promise<AuditSeal> {
  const seq = head ? head.seq + 1 : 1;
  const prevHash = head ? head.hash : GENESIS_HASH;
  return { id: row.id, seq, prevHash, hash: await rowHash(row, { seq, prevHash, personalDigest: row.personalDigest }) };
}
