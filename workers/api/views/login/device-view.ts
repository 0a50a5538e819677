import { html } from "hono/html";
import { field, hidden, postForm } from "./form";
import type { Html, PageError } from "./layout";

export interface DeviceEntryView {
  issuer: string;
  csrfToken: string;
  userCode: string;
  errors: PageError[];
}

/** Step 1 (RFC 8628 §3.3): the user types the code their device shows. */
export function deviceEntryBody(view: DeviceEntryView): Html {
  return html`<p>Enter the code shown on your device (TV, console, command line).</p>
${postForm(
  `${view.issuer}/device`,
  view.csrfToken,
  html`${field({
    name: "user_code",
    label: "Code",
    type: "text",
    value: view.userCode,
    autocomplete: "off",
    hint: "8 letters, for example BDFH-KLMN",
    errors: view.errors,
  })}
<div class="actions"><button type="submit">Continue</button></div>`,
)}`;
}

export interface DeviceConfirmView {
  issuer: string;
  csrfToken: string;
  /** As the device shows it (XXXX-XXXX), for the user to compare (RFC 8628 §5.4). */
  userCode: string;
  clientName: string;
  userEmail: string;
  scopes: { value: string; description: string }[];
}

/**
 * Step 2: who asks, for what, as whom; Allow and Deny. RFC 8628 §5.4 (remote
 * phishing): the page says to continue only if the code matches a device the
 * user is setting up themselves.
 */
export function deviceConfirmBody(view: DeviceConfirmView): Html {
  return html`<p><strong>${view.clientName}</strong> on a device wants to:</p>
<ul class="scopes">${view.scopes.map((scope) => html`<li>${scope.description}</li>`)}</ul>
<p>Code: <strong>${view.userCode}</strong>. Continue only if this is the code on a device you are setting up yourself right now.
If someone sent you this code, choose Deny.</p>
<p>You are signed in as <strong>${view.userEmail}</strong>. <a href="${view.issuer}/logout">Not you?</a></p>
${postForm(
  `${view.issuer}/device`,
  view.csrfToken,
  html`<div class="actions"><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button></div>`,
  hidden("user_code", view.userCode),
)}`;
}

/** Step 3: the decision is recorded; the device picks it up on its next poll. */
export function deviceDoneBody(approved: boolean): Html {
  return approved
    ? html`<p class="notice" role="status">Your device is connected. You can return to it now; it will continue in a few seconds.</p>`
    : html`<p class="notice" role="status">The request was denied. Your device will not get access.</p>`;
}
