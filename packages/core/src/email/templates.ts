import { emailKindSchema } from "@plinto/contracts";

/** Every email Plinto sends (the list lives in the wire contract). Tenants may override each one. */
export const EMAIL_KINDS = emailKindSchema.options;
export type EmailKind = (typeof EMAIL_KINDS)[number];

export const isEmailKind = (value: string): value is EmailKind => (EMAIL_KINDS as readonly string[]).includes(value);

export type TemplateValue = string | number;

/**
 * What each kind's caller passes to `sendEmail`. `link` is empty when the
 * tenant has no link base and the request named no redirect_url: the email
 * then carries only `token`, for the user to paste into the app.
 */
export interface EmailVariablesByKind {
  email_verification: { link: string; token: string; expires_in_minutes: TemplateValue };
  password_reset: { link: string; token: string; expires_in_minutes: TemplateValue };
  magic_link: { link: string; token: string; expires_in_minutes: TemplateValue };
  email_code: { code: string; expires_in_minutes: TemplateValue };
  password_changed: Record<string, never>;
  recovery_code_used: { remaining_codes: TemplateValue };
  organization_invitation: {
    link: string;
    token: string;
    organization_name: string;
    inviter: string;
    role: string;
    expires_in_days: TemplateValue;
  };
}

/** Filled in by `sendEmail` for every kind. */
export const COMMON_VARIABLES = ["app_name", "email"] as const;

const OWN_VARIABLES: { [K in EmailKind]: readonly (keyof EmailVariablesByKind[K] & string)[] } = {
  email_verification: ["link", "token", "expires_in_minutes"],
  password_reset: ["link", "token", "expires_in_minutes"],
  magic_link: ["link", "token", "expires_in_minutes"],
  email_code: ["code", "expires_in_minutes"],
  password_changed: [],
  recovery_code_used: ["remaining_codes"],
  organization_invitation: ["link", "token", "organization_name", "inviter", "role", "expires_in_days"],
};

/** The variables a template of this kind may use; any other name is refused when the template is saved. */
export const variablesOf = (kind: EmailKind): readonly string[] => [...COMMON_VARIABLES, ...OWN_VARIABLES[kind]];

export interface EmailTemplate {
  subject: string;
  text: string;
  html: string;
}

/** HTML body shared by the defaults: one short paragraph block, no remote content. */
const page = (body: string): string =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">${body}` +
  `<p style="color:#666;font-size:12px">Sent by {{app_name}} to {{email}}.</p></body></html>`;

/** `{{#link}}...{{/link}}` shows the link only when there is one; the token is always there to paste. */
const linkOrToken = (action: string) => ({
  text: `{{#link}}${action}:\n\n{{link}}\n\n{{/link}}Or paste this token into {{app_name}}:\n\n{{token}}\n\nIt expires in {{expires_in_minutes}} minutes and works once.`,
  html:
    `{{#link}}<p><a href="{{link}}">${action}</a></p>{{/link}}` +
    `<p>Or paste this token into {{app_name}}:</p><p><code>{{token}}</code></p>` +
    `<p>It expires in {{expires_in_minutes}} minutes and works once.</p>`,
});

const verification = linkOrToken("Confirm your email address");
const reset = linkOrToken("Choose a new password");
const magic = linkOrToken("Sign in");
const IGNORE = "If you did not ask for this, you can ignore this email.";

export const DEFAULT_TEMPLATES: Record<EmailKind, EmailTemplate> = {
  email_verification: {
    subject: "Confirm your email for {{app_name}}",
    text: `Hello,\n\nPlease confirm that {{email}} is your address.\n\n${verification.text}\n\n${IGNORE}\n`,
    html: page(`<p>Hello,</p><p>Please confirm that {{email}} is your address.</p>${verification.html}<p>${IGNORE}</p>`),
  },
  password_reset: {
    subject: "Reset your {{app_name}} password",
    text: `Hello,\n\nSomeone asked to reset the password of {{email}}.\n\n${reset.text}\n\n${IGNORE} Your password stays unchanged.\n`,
    html: page(`<p>Hello,</p><p>Someone asked to reset the password of {{email}}.</p>${reset.html}<p>${IGNORE} Your password stays unchanged.</p>`),
  },
  magic_link: {
    subject: "Sign in to {{app_name}}",
    text: `Hello,\n\n${magic.text}\n\n${IGNORE}\n`,
    html: page(`<p>Hello,</p>${magic.html}<p>${IGNORE}</p>`),
  },
  email_code: {
    // Not in the subject: subjects show on lock screens and in notification previews.
    subject: "Your {{app_name}} sign-in code",
    text: `Hello,\n\nYour sign-in code is:\n\n{{code}}\n\nIt expires in {{expires_in_minutes}} minutes. Never share it with anyone.\n\n${IGNORE}\n`,
    html: page(
      `<p>Hello,</p><p>Your sign-in code is:</p><p style="font-size:24px;letter-spacing:4px"><strong>{{code}}</strong></p>` +
        `<p>It expires in {{expires_in_minutes}} minutes. Never share it with anyone.</p><p>${IGNORE}</p>`,
    ),
  },
  password_changed: {
    subject: "Your {{app_name}} password was changed",
    text: "Hello,\n\nThe password of {{email}} was just changed and every session was signed out.\n\nIf this was not you, reset your password now and contact support.\n",
    html: page(
      "<p>Hello,</p><p>The password of {{email}} was just changed and every session was signed out.</p>" +
        "<p>If this was not you, reset your password now and contact support.</p>",
    ),
  },
  organization_invitation: {
    subject: "You are invited to join {{organization_name}} on {{app_name}}",
    text:
      "Hello,\n\n{{inviter}} invited {{email}} to join {{organization_name}} as {{role}}.\n\n" +
      "{{#link}}Accept the invitation:\n\n{{link}}\n\n{{/link}}Or paste this token into {{app_name}} after signing in with this address:\n\n{{token}}\n\n" +
      `It expires in {{expires_in_days}} days and works once. ${IGNORE}\n`,
    html: page(
      "<p>Hello,</p><p>{{inviter}} invited {{email}} to join <strong>{{organization_name}}</strong> as {{role}}.</p>" +
        '{{#link}}<p><a href="{{link}}">Accept the invitation</a></p>{{/link}}' +
        "<p>Or paste this token into {{app_name}} after signing in with this address:</p><p><code>{{token}}</code></p>" +
        `<p>It expires in {{expires_in_days}} days and works once. ${IGNORE}</p>`,
    ),
  },
  recovery_code_used: {
    subject: "A recovery code was used for {{app_name}}",
    text: "Hello,\n\nA recovery code was just used to sign in as {{email}}. You have {{remaining_codes}} codes left.\n\nIf this was not you, reset your password and your second factor now.\n",
    html: page(
      "<p>Hello,</p><p>A recovery code was just used to sign in as {{email}}. You have {{remaining_codes}} codes left.</p>" +
        "<p>If this was not you, reset your password and your second factor now.</p>",
    ),
  },
};
