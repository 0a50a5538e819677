import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import type { EmailTemplateOverride } from "../ports/email-template-repository";
import { assertTemplateValid } from "./render";
import { DEFAULT_TEMPLATES, EMAIL_KINDS, type EmailKind, type EmailTemplate, variablesOf } from "./templates";

/** What the management API shows of one kind: the template in force and whether it is the tenant's own. */
export interface EmailTemplateState extends EmailTemplate {
  kind: EmailKind;
  variables: readonly string[];
  customized: boolean;
  updatedAt: number | null;
}

const stateOf = (kind: EmailKind, override: EmailTemplateOverride | null): EmailTemplateState => ({
  kind,
  subject: override?.subject ?? DEFAULT_TEMPLATES[kind].subject,
  text: override?.text ?? DEFAULT_TEMPLATES[kind].text,
  html: override?.html ?? DEFAULT_TEMPLATES[kind].html,
  variables: variablesOf(kind),
  customized: override !== null,
  updatedAt: override?.updatedAt ?? null,
});

export async function listEmailTemplates(deps: CoreDeps, scope: TenantScope): Promise<EmailTemplateState[]> {
  const overrides = await deps.storage.emailTemplates.list(scope.tenant.id);
  return EMAIL_KINDS.map((kind) => stateOf(kind, overrides.find((override) => override.kind === kind) ?? null));
}

export async function getEmailTemplate(deps: CoreDeps, scope: TenantScope, kind: EmailKind): Promise<EmailTemplateState> {
  return stateOf(kind, await deps.storage.emailTemplates.get(scope.tenant.id, kind));
}

/** Saves the tenant's template after checking every `{{variable}}` is one this kind provides. */
export async function putEmailTemplate(
  deps: CoreDeps,
  scope: TenantScope,
  kind: EmailKind,
  template: EmailTemplate,
  actor: Actor,
): Promise<EmailTemplateState> {
  assertTemplateValid(template, variablesOf(kind));
  const override: EmailTemplateOverride = { tenantId: scope.tenant.id, kind, ...template, updatedAt: deps.clock.now() };
  await deps.storage.emailTemplates.put(override);
  await recordAuditEvent(deps, scope, { type: "email_template.updated", actor, data: { kind } });
  return stateOf(kind, override);
}

/** Drops the tenant's template; the built-in default applies again. */
export async function resetEmailTemplate(deps: CoreDeps, scope: TenantScope, kind: EmailKind, actor: Actor): Promise<EmailTemplateState> {
  if (await deps.storage.emailTemplates.delete(scope.tenant.id, kind)) {
    await recordAuditEvent(deps, scope, { type: "email_template.deleted", actor, data: { kind } });
  }
  return stateOf(kind, null);
}
