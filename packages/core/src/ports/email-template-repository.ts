import type { EmailKind } from "../email/templates";

/** A tenant's own version of one email; the built-in default applies to kinds without one. */
export interface EmailTemplateOverride {
  tenantId: string;
  kind: EmailKind;
  subject: string;
  text: string;
  html: string;
  updatedAt: number;
}

export interface EmailTemplateRepository {
  get(tenantId: string, kind: EmailKind): Promise<EmailTemplateOverride | null>;
  list(tenantId: string): Promise<EmailTemplateOverride[]>;
  /** Inserts or replaces the tenant's template of this kind. */
  put(template: EmailTemplateOverride): Promise<void>;
  /** Removes the override (the default applies again); false when there was none. */
  delete(tenantId: string, kind: EmailKind): Promise<boolean>;
}
