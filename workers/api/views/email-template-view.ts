import type { EmailTemplateState } from "@plinto/core";

export const emailTemplateView = (template: EmailTemplateState) => ({
  kind: template.kind,
  subject: template.subject,
  text: template.text,
  html: template.html,
  variables: [...template.variables],
  customized: template.customized,
  updated_at: template.updatedAt === null ? null : new Date(template.updatedAt).toISOString(),
});
