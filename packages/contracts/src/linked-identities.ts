import { z } from "zod";
import { timestamp } from "./common";
import { upstreamProviderKindSchema } from "./upstream-connections";

/** A user's account at an upstream provider ("Sign in with Google"), as the user and admins see it: no profile, no tokens. */
export const linkedIdentitySchema = z.object({
  id: z.string(),
  connection: z.object({
    id: z.string(),
    slug: z.string(),
    display_name: z.string(),
    kind: upstreamProviderKindSchema,
  }),
  subject: z.string().describe("The provider's stable user id (`sub`, or GitHub's numeric id)"),
  email: z.string().nullable().describe("The address the provider shared at the last sign-in"),
  created_at: timestamp,
  last_sign_in_at: timestamp.nullable(),
});

export const linkedIdentityListSchema = z.object({ data: z.array(linkedIdentitySchema) });
