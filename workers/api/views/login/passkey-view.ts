import { html } from "hono/html";
import { hidden } from "./form";
import type { Html } from "./layout";

/**
 * The one script of the hosted pages (sent with the page's CSP nonce; used by /login/passkey and the
 * passkey way of /login/mfa): asks the browser for a passkey with the options in the form's
 * data-options, puts credential.toJSON() in the form's `response` field and submits it.
 * WebAuthn Level 3 §5.1.3 parseRequestOptionsFromJSON.
 */
export const PASSKEY_SCRIPT = `
(function () {
  var form = document.getElementById("passkey-form");
  var status = document.getElementById("passkey-status");
  if (!form || !window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) {
    if (status) status.textContent = "This browser cannot use passkeys here. Use another way below.";
    return;
  }
  form.addEventListener("submit", function (event) {
    if (form.dataset.ready === "1") return;
    event.preventDefault();
    status.textContent = "Waiting for your passkey...";
    var options = PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(form.dataset.options));
    navigator.credentials.get({ publicKey: options }).then(function (credential) {
      form.elements.namedItem("response").value = JSON.stringify(credential.toJSON());
      form.dataset.ready = "1";
      form.submit();
    }, function () {
      status.textContent = "The passkey did not complete. Try again, or use another way below.";
    });
  });
})();
`;

export interface PasskeyView {
  issuer: string;
  csrfToken: string;
  query: string;
  fields: Html;
  /** PublicKeyCredentialRequestOptionsJSON, serialised. */
  optionsJson: string;
}

export function passkeyBody(view: PasskeyView): Html {
  return html`<noscript><p class="notice">Passkey sign-in needs JavaScript. <a href="${view.issuer}/login${view.query}">Sign in with your password</a>.</p></noscript>
<p>Use the passkey saved on this device or your phone.</p>
<form id="passkey-form" method="post" action="${view.issuer}/login/passkey" data-options="${view.optionsJson}">
${hidden("csrf_token", view.csrfToken)}
${view.fields}
${hidden("response", "")}
<div class="actions"><button type="submit">Use a passkey</button></div>
<p id="passkey-status" role="status" aria-live="polite"></p>
</form>
<nav aria-label="Other ways to sign in"><ul><li><a href="${view.issuer}/login${view.query}">Sign in with email and password</a></li></ul></nav>`;
}

