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

export const auditQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  type: z.string().max(100).optional(),
  actor_id: z.string().max(100).optional(),
  subject_id: z.string().max(100).optional(),
});
