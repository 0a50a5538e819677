import { z } from "zod";

/** RFC 9457 problem details, plus Plinto's stable `code`. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: z.string().describe("Stable machine-readable error code, e.g. invalid_credentials"),
  errors: z
    .array(z.object({ path: z.string(), message: z.string(), code: z.string() }))
    .optional()
    .describe("Failing fields of a validation error"),
});
export type Problem = z.infer<typeof problemSchema>;

export const timestamp = z.iso.datetime().describe("ISO 8601 time, UTC");

export const cursorQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe("Opaque cursor from the previous page's next_cursor"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable() });

/** Surrounding whitespace (pasted addresses) is trimmed before the format check; the core normalises case. */
export const emailSchema = z.string().trim().max(254).check(z.email());

/** NIST SP 800-63B §5.1.1.2 allows long passphrases; 128 characters bounds hashing cost. */
export const passwordSchema = z.string().min(1).max(128);

export const slugSchema = z
  .string()
  .min(3)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "lowercase letters, digits and inner hyphens");

export const metadataSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 8_192, "must serialise to at most 8 KiB");
