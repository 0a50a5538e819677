import { z } from "zod";
import { timestamp } from "./common";

export const auditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  subject_id: z.string().nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  created_at: timestamp,
});

/** Filters shared by the list and the NDJSON export. */
export const auditFilterSchema = z.object({
  type: z.string().max(100).optional(),
  actor_id: z.string().max(100).optional(),
  subject_id: z.string().max(100).optional(),
  from: z.iso.datetime().optional().describe("Events at or after this time"),
  to: z.iso.datetime().optional().describe("Events before this time"),
});

export const auditQuerySchema = auditFilterSchema.extend({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** `GET /admin/audit-events/verify`: the result of walking the tenant's hash chain (docs/audit.md). */
export const auditChainVerificationSchema = z.object({
  intact: z.boolean(),
  checked: z.number().int().describe("Rows verified before the first break, or all of them"),
  pseudonymised: z.number().int().describe("Rows whose personal columns were erased; their place and public content still verify"),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable().describe("Last verified row; keep it to detect a truncated tail later"),
  unsealed: z.number().int().describe("Rows appended but not yet linked into the chain (normally 0: the verification seals first); not covered by the proof"),
  first_broken: z
    .object({
      seq: z.number().int(),
      id: z.string(),
      reason: z.enum(["seq_gap", "prev_hash_mismatch", "hash_mismatch", "personal_digest_mismatch"]),
      expected_seq: z.number().int(),
    })
    .nullable(),
});
