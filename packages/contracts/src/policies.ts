import { z } from "zod";
import { permissionSchema, roleKeySchema } from "./organizations";

/**
 * Tenant policy rules for `POST /policies/evaluate` (an OPA/XACML-like
 * decision point, kept small). A rule applies when the action matches one of
 * its `actions`, the subject holds one of its `roles` (if any) and every one
 * of its `conditions` holds. Deny overrides allow (XACML 3.0 §C.2
 * deny-overrides); nothing applicable means deny.
 */
const actionPatternSchema = z
  .string()
  .max(100)
  .regex(/^(\*|[a-z][a-z0-9_.-]*:(\*|[a-z][a-z0-9_.-]*))$/, "must be resource:action, resource:* or *");

const attributeNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "letters, digits and underscores");
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM in UTC, 00:00 to 23:59");
export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const scalarSchema = z.union([z.string().max(200), z.number(), z.boolean()]);

export const policyConditionSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("same_org").describe("The subject's organization is the resource's") }),
  z.strictObject({ type: z.literal("resource_owner").describe("The subject owns the resource (resource.owner_id)") }),
  z.strictObject({
    type: z.literal("has_permission"),
    permission: permissionSchema.optional().describe("Default: the action being asked about"),
  }),
  z.strictObject({
    type: z.literal("time_window"),
    start: clockTimeSchema,
    end: clockTimeSchema.describe("Exclusive; an end before the start spans midnight"),
    days: z.array(z.enum(WEEKDAYS)).min(1).max(7).optional(),
  }),
  z.strictObject({
    type: z.literal("attribute_equals"),
    resource_attribute: attributeNameSchema,
    subject_attribute: attributeNameSchema.optional(),
    value: scalarSchema.optional(),
  }),
]);
export type PolicyCondition = z.infer<typeof policyConditionSchema>;

export const policyRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "lowercase letters, digits, dot, dash, underscore"),
  description: z.string().max(500).optional(),
  effect: z.enum(["allow", "deny"]),
  actions: z.array(actionPatternSchema).min(1).max(50),
  roles: z.array(roleKeySchema).min(1).max(50).optional().describe("The subject's organization role must be one of these"),
  conditions: z.array(policyConditionSchema).max(10).default([]),
});
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** The whole rule set of a tenant, replaced at once; rule ids are unique. */
export const policyRulesSchema = z
  .array(policyRuleSchema)
  .max(200)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate rule id ${rule.id}` });
      seen.add(rule.id);
      rule.conditions.forEach((condition, at) => {
        if (condition.type === "attribute_equals" && (condition.subject_attribute === undefined) === (condition.value === undefined)) {
          ctx.addIssue({
            code: "custom",
            path: [index, "conditions", at],
            message: "give exactly one of subject_attribute and value",
          });
        }
      });
    });
  });

export const policySetSchema = z.object({ rules: z.array(policyRuleSchema), updated_at: z.string().nullable() });
export const putPolicySetRequestSchema = z.strictObject({ rules: policyRulesSchema });

const attributesSchema = z.record(attributeNameSchema, scalarSchema).refine((value) => Object.keys(value).length <= 50, "at most 50 attributes");

export const evaluatePolicyRequestSchema = z.strictObject({
  subject: z.strictObject({
    user_id: z.string().min(1).max(64),
    organization_id: z.string().min(1).max(64).optional().describe("Role and permissions are those held in this organization"),
    attributes: attributesSchema.optional(),
  }),
  action: permissionSchema,
  resource: z.strictObject({
    type: z.string().min(1).max(100),
    id: z.string().max(200).optional(),
    owner_id: z.string().max(64).optional(),
    organization_id: z.string().max(64).optional(),
    attributes: attributesSchema.optional(),
  }),
});

export const policyDecisionSchema = z.object({
  decision: z.enum(["allow", "deny"]),
  allowed: z.boolean(),
  reasons: z.array(
    z.object({
      rule_id: z.string().nullable(),
      effect: z.enum(["allow", "deny"]),
      message: z.string(),
    }),
  ),
});
