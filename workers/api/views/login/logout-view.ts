import { html } from "hono/html";
import { hidden, postForm } from "./form";
import type { Html } from "./layout";

export interface LogoutView {
  issuer: string;
  csrfToken: string;
  email: string;
  clientId: string | null;
  postLogoutRedirectUri: string | null;
  state: string | null;
}

/** OIDC RP-Initiated Logout §2: the OP asks the user before ending the session. */
export function logoutBody(view: LogoutView): Html {
  const fields = html`${view.clientId ? hidden("client_id", view.clientId) : ""}${
    view.postLogoutRedirectUri ? hidden("post_logout_redirect_uri", view.postLogoutRedirectUri) : ""
  }${view.state ? hidden("state", view.state) : ""}`;
  return html`<p>You are signed in as <strong>${view.email}</strong>. Sign out on this device?</p>
${postForm(`${view.issuer}/logout`, view.csrfToken, html`<div class="actions"><button type="submit">Sign out</button></div>`, fields)}`;
}

export function signedOutBody(issuer: string): Html {
  return html`<p class="notice" role="status">You are signed out.</p><p><a href="${issuer}/login">Sign in again</a></p>`;
}
