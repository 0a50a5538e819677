import { html } from "hono/html";
import { field, postForm } from "./form";
import type { Html, PageError } from "./layout";

export interface SignUpView {
  issuer: string;
  csrfToken: string;
  query: string;
  fields: Html;
  email: string;
  name: string;
  minLength: number;
  errors: PageError[];
}

export function signUpBody(view: SignUpView): Html {
  const form = postForm(
    `${view.issuer}/login/sign-up`,
    view.csrfToken,
    html`${field({ name: "email", label: "Email address", type: "email", value: view.email, autocomplete: "email", errors: view.errors })}
${field({ name: "name", label: "Name (optional)", type: "text", value: view.name, autocomplete: "name", required: false, errors: view.errors })}
${field({
  name: "password",
  label: "Password",
  type: "password",
  autocomplete: "new-password",
  hint: `At least ${view.minLength} characters. A few unrelated words work well.`,
  errors: view.errors,
})}
<div class="actions"><button type="submit">Create account</button></div>`,
    view.fields,
  );
  return html`${form}
<nav aria-label="Already registered"><ul><li>Already have an account? <a href="${view.issuer}/login${view.query}">Sign in</a></li></ul></nav>`;
}

/** After sign-up when the tenant requires a verified address before any sign-in. */
export function verifyEmailBody(issuer: string, email: string, query: string): Html {
  return html`<p class="notice">We sent a link to <strong>${email}</strong>. Open it to verify your address, then sign in.</p>
<p><a href="${issuer}/login${query}">Sign in</a></p>`;
}
