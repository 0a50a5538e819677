import { problemSchema, slugSchema } from "@plinto/contracts";
import { z } from "zod";

/** Shared OpenAPI building blocks so each route file states only what is its own. */
export const tenantParams = z.object({ tenant: slugSchema.describe("Tenant slug") });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { "application/json": { schema } },
  required: true,
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

const problem = (description: string) => ({ content: { "application/problem+json": { schema: problemSchema } }, description });

/** Error responses every route may give; routes add their specific ones. */
export const commonErrors = {
  400: problem("Invalid input (`validation_failed`, `invalid_json`)"),
  404: problem("Unknown tenant or resource"),
  413: problem("Body too large"),
  429: problem("Rate limited; see Retry-After"),
} as const;

export const authErrors = {
  401: problem("Missing, invalid or expired credentials (RFC 6750 §3)"),
  403: problem("Authenticated but not allowed"),
} as const;

export const conflict = { 409: problem("Conflict, e.g. `email_taken`") } as const;
export const mailErrors = { 503: problem("No mail provider can deliver (`mail_unavailable`)") } as const;
export const unprocessable = { 422: problem("Password does not meet the policy (`weak_password`)") } as const;

type SecurityRequirement = Record<string, string[]>;
export const userSecurity: SecurityRequirement[] = [{ bearerAuth: [] }];
export const adminSecurity: SecurityRequirement[] = [{ secretKey: [] }, { bearerAuth: [] }];
export const emptyResponse = { 204: { description: "Done" } } as const;
