import { createRoute } from "@hono/zod-openapi";
import { emailTemplateBodySchema, emailTemplateSchema } from "@plinto/contracts";
import { type EmailKind, getEmailTemplate, isEmailKind, listEmailTemplates, PlintoError, putEmailTemplate, resetEmailTemplate } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { emailTemplateView } from "../../views/email-template-view";
import { adminSecurity, authErrors, commonErrors, json, jsonBody, tenantParams } from "../openapi";

export const adminEmailTemplateRoutes = createRouter();
const tags = ["Admin: email templates"];
const kindParams = tenantParams.extend({ kind: z.string().max(40).describe("email_verification, password_reset, magic_link, email_code, password_changed or recovery_code_used") });

function kindOf(value: string): EmailKind {
  if (!isEmailKind(value)) throw new PlintoError("not_found", { detail: "no email template of this kind" });
  return value;
}

adminEmailTemplateRoutes.openapi(
  createRoute({
    method: "get",
    path: "/email-templates",
    tags,
    summary: "Every email template in force (the tenant's own or the default)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(emailTemplateSchema) }), "One entry per kind"), ...authErrors },
  }),
  async (c) => {
    const templates = await listEmailTemplates(c.get("deps"), c.get("scope"));
    return c.json({ data: templates.map(emailTemplateView) }, 200);
  },
);

adminEmailTemplateRoutes.openapi(
  createRoute({
    method: "get",
    path: "/email-templates/{kind}",
    tags,
    summary: "One email template",
    security: adminSecurity,
    request: { params: kindParams },
    responses: { 200: json(emailTemplateSchema, "The template in force"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const template = await getEmailTemplate(c.get("deps"), c.get("scope"), kindOf(c.req.valid("param").kind));
    return c.json(emailTemplateView(template), 200);
  },
);

adminEmailTemplateRoutes.openapi(
  createRoute({
    method: "put",
    path: "/email-templates/{kind}",
    tags,
    summary: "Replace an email template",
    description:
      "`{{name}}` inserts a value (HTML-escaped in `html`); `{{#name}}...{{/name}}` keeps its content only when the value is not empty. " +
      "Only the kind's `variables` may appear: anything else is 400 `validation_failed`.",
    security: adminSecurity,
    request: { params: kindParams, body: jsonBody(emailTemplateBodySchema) },
    responses: { 200: json(emailTemplateSchema, "Saved"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const kind = kindOf(c.req.valid("param").kind);
    const template = await putEmailTemplate(c.get("deps"), c.get("scope"), kind, c.req.valid("json"), c.get("actor"));
    return c.json(emailTemplateView(template), 200);
  },
);

adminEmailTemplateRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/email-templates/{kind}",
    tags,
    summary: "Restore the default template",
    security: adminSecurity,
    request: { params: kindParams },
    responses: { 200: json(emailTemplateSchema, "The default, now in force"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const template = await resetEmailTemplate(c.get("deps"), c.get("scope"), kindOf(c.req.valid("param").kind), c.get("actor"));
    return c.json(emailTemplateView(template), 200);
  },
);
