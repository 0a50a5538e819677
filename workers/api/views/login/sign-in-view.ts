import { html } from "hono/html";
import { field, postForm } from "./form";
import type { Html, PageError } from "./layout";

export interface SignInView {
  issuer: string;
  csrfToken: string;
  /** `?request=...` / `?return_to=...` for links, and the same as hidden fields. */
  query: string;
  fields: Html;
  email: string;
  errors: PageError[];
  connections: { slug: string; displayName: string }[];
}

/** The sign-in form (email, password), then the other ways in: sign-up, passkey, upstream providers. */
export function signInBody(view: SignInView): Html {
  const form = postForm(
    `${view.issuer}/login`,
    view.csrfToken,
    html`${field({ name: "email", label: "Email address", type: "email", value: view.email, autocomplete: "username", errors: view.errors })}
${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", errors: view.errors })}
<div class="actions"><button type="submit">Sign in</button></div>`,
    view.fields,
  );
  return html`${form}
<nav aria-label="Other ways to sign in">
<ul>
<li><a href="${view.issuer}/login/passkey${view.query}">Sign in with a passkey</a></li>
${view.connections.map(
  (connection) =>
    html`<li><a href="${view.issuer}/connections/${connection.slug}/start${view.query}">Continue with ${connection.displayName}</a></li>`,
)}
<li>No account? <a href="${view.issuer}/login/sign-up${view.query}">Create an account</a></li>
</ul>
</nav>`;
}

/** Shown at /login to a browser that is already signed in and has nothing to continue. */
export function signedInBody(issuer: string, email: string): Html {
  return html`<p class="notice">You are signed in as <strong>${email}</strong>.</p>
<p><a href="${issuer}/logout">Sign out</a></p>`;
}
