import { html } from "hono/html";
import { postForm } from "./form";
import type { Html } from "./layout";

export interface ConsentView {
  issuer: string;
  csrfToken: string;
  fields: Html;
  clientName: string;
  /** https logo from the client's registration metadata (logo_uri), or null. */
  clientLogo: string | null;
  clientUri: string | null;
  userEmail: string;
  scopes: { value: string; description: string }[];
}

/** The consent screen: who asks, for what, as whom; Allow and Deny as two buttons of one form. */
export function consentBody(view: ConsentView): Html {
  return html`${view.clientLogo ? html`<p><img class="client-logo" src="${view.clientLogo}" alt="${view.clientName} logo"></p>` : ""}
<p><strong>${view.clientName}</strong>${view.clientUri ? html` (<a href="${view.clientUri}" rel="noopener noreferrer">${view.clientUri}</a>)` : ""} wants to:</p>
<ul class="scopes">${view.scopes.map((scope) => html`<li>${scope.description}</li>`)}</ul>
<p>You are signed in as <strong>${view.userEmail}</strong>. <a href="${view.issuer}/logout">Not you?</a></p>
${postForm(
  `${view.issuer}/login/consent`,
  view.csrfToken,
  html`<div class="actions"><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>`,
  view.fields,
)}`;
}
