import { html } from "hono/html";
import type { Html, PageError } from "./layout";

export interface FieldOptions {
  /** Used as the input's id and name. */
  name: string;
  label: string;
  type: "email" | "password" | "text";
  value?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  inputmode?: "numeric" | "text";
  /** The page's errors; the one whose field is `name` marks this input invalid and is read with it. */
  errors?: PageError[];
}

/** A labelled input; an error for it is linked with aria-describedby and marks it aria-invalid. */
export function field(options: FieldOptions): Html {
  const error = options.errors?.find((entry) => entry.field === options.name);
  const hintId = `${options.name}-hint`;
  const errorId = `${options.name}-error`;
  const describedBy = [options.hint ? hintId : null, error ? errorId : null].filter((id) => id !== null).join(" ");
  return html`<label for="${options.name}">${options.label}</label>
${options.hint ? html`<span class="hint" id="${hintId}">${options.hint}</span>` : ""}
${error ? html`<span class="field-error" id="${errorId}">${error.message}</span>` : ""}
<input id="${options.name}" name="${options.name}" type="${options.type}"${options.value ? html` value="${options.value}"` : ""}${
    options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ""
  }${options.inputmode ? html` inputmode="${options.inputmode}"` : ""}${options.required === false ? "" : html` required`}${
    describedBy ? html` aria-describedby="${describedBy}"` : ""
  }${error ? html` aria-invalid="true"` : ""}>`;
}

/** A hidden input (the CSRF token, the authorization request id). */
export const hidden = (name: string, value: string): Html => html`<input type="hidden" name="${name}" value="${value}">`;

/** A POST form to `action` carrying the CSRF token. */
export function postForm(action: string, csrfToken: string, content: Html, extra: Html = html``): Html {
  return html`<form method="post" action="${action}" novalidate>
${hidden("csrf_token", csrfToken)}
${extra}
${content}
</form>`;
}
