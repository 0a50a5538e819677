import type { CoreDeps, TenantScope } from "../deps";
import type { OutgoingEmail } from "../ports/mailer";
import { renderTemplate } from "./render";
import { DEFAULT_TEMPLATES, type EmailKind, type EmailTemplate, type EmailVariablesByKind } from "./templates";

/** The tenant's own template of this kind, or the built-in default. */
export async function resolveTemplate(deps: CoreDeps, scope: TenantScope, kind: EmailKind): Promise<EmailTemplate> {
  return (await deps.storage.emailTemplates.get(scope.tenant.id, kind)) ?? DEFAULT_TEMPLATES[kind];
}

/** settings.email.from_address / from_name, else `no-reply@<issuer host>` named after the tenant. */
export function senderOf(scope: TenantScope): OutgoingEmail["from"] {
  const { from_address, from_name } = scope.tenant.settings.email;
  return { address: from_address ?? `no-reply@${new URL(scope.issuer).hostname}`, name: from_name ?? scope.tenant.name };
}

/**
 * Renders one email of `kind` for `to` and hands it to the mailer; throws
 * when the mailer did not accept it (503 `mail_unavailable`). `app_name` and
 * `email` are filled in here. Callers on a public, unauthenticated path run
 * this after the response (`afterResponse`), so its cost and its failures
 * never show whether the address has an account.
 */
export async function sendEmail<K extends EmailKind>(
  deps: CoreDeps,
  scope: TenantScope,
  kind: K,
  to: string,
  variables: EmailVariablesByKind[K],
): Promise<void> {
  const template = await resolveTemplate(deps, scope, kind);
  const rendered = renderTemplate(template, { ...variables, app_name: scope.tenant.name, email: to });
  await deps.mailer.send({ tenantId: scope.tenant.id, to, from: senderOf(scope), ...rendered });
}
