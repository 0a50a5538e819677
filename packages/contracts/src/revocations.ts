import { z } from "zod";

/**
 * What edge verifiers poll to learn of revocations (DESIGN.md "Tokens"):
 * every revoked session id, token id and signing key id of one tenant, each
 * with the time (ms since the epoch) after which no token it could affect is
 * still valid, so the entry can be dropped. `epoch` grows with every change.
 */
export const revocationSnapshotSchema = z.object({
  tenant: z.string(),
  epoch: z.number().int().nonnegative(),
  generated_at: z.number().int(),
  sessions: z.record(z.string(), z.number().int()).describe("sid -> until"),
  tokens: z.record(z.string(), z.number().int()).describe("jti -> until"),
  keys: z.record(z.string(), z.number().int()).describe("kid -> until"),
});
export type RevocationSnapshot = z.infer<typeof revocationSnapshotSchema>;
