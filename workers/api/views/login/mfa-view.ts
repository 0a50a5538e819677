import { html, raw } from "hono/html";
import { field, hidden, postForm } from "./form";
import type { Html, PageError } from "./layout";

export type MfaMethod = "totp" | "recovery" | "passkey";

export interface MfaView {
  issuer: string;
  csrfToken: string;
  method: MfaMethod;
  errors: PageError[];
  /** When the tenant requires MFA and the user has none: the new TOTP secret to add to an app. */
  enrollment: { secret: string; qrSvg: string } | null;
  /** The challenge's factors: which other ways the page links to. */
  factors: string[];
  /** With method "passkey": PublicKeyCredentialRequestOptionsJSON bound to the pending challenge, serialised. */
  passkeyOptionsJson?: string;
}

/**
 * The passkey way (the page's one script, PASSKEY_SCRIPT, runs the ceremony and posts the assertion
 * to /login/mfa/passkey). Without JavaScript the links below still lead to the code forms.
 */
function passkeyMfaBody(view: MfaView, action: string): Html {
  const others = html`<nav aria-label="Other ways to verify"><ul>
${view.factors.includes("totp") ? html`<li><a href="${action}?method=totp">Use your authenticator app</a></li>` : ""}
<li><a href="${action}?method=recovery">Use a recovery code</a></li>
</ul></nav>`;
  return html`<noscript><p class="notice">Using a passkey needs JavaScript. Choose another way below.</p></noscript>
<p>Confirm it is you with the passkey saved on this device or your phone.</p>
<form id="passkey-form" method="post" action="${action}/passkey" data-options="${view.passkeyOptionsJson ?? ""}">
${hidden("csrf_token", view.csrfToken)}
${hidden("response", "")}
<div class="actions"><button type="submit">Use a passkey</button></div>
<p id="passkey-status" role="status" aria-live="polite"></p>
</form>
${others}`;
}

/** The second step: a passkey, a code from the authenticator app (or enrolment of one), or a recovery code. */
export function mfaBody(view: MfaView): Html {
  const action = `${view.issuer}/login/mfa`;
  if (view.method === "passkey") return passkeyMfaBody(view, action);
  const passkeyLink = view.factors.includes("passkey") ? html`<p><a href="${action}?method=passkey">Use a passkey</a></p>` : "";
  if (view.method === "recovery") {
    return html`${postForm(
      action,
      view.csrfToken,
      html`${field({ name: "recovery_code", label: "Recovery code", type: "text", autocomplete: "off", errors: view.errors })}
<div class="actions"><button type="submit">Continue</button></div>`,
      hidden("method", "recovery"),
    )}
${view.factors.includes("totp") ? html`<p><a href="${action}?method=totp">Use your authenticator app instead</a></p>` : ""}
${passkeyLink}`;
  }
  const enrol = view.enrollment
    ? html`<p>This service requires two-step verification. Scan the code with an authenticator app, or enter the key by hand.</p>
<figure>${raw(view.enrollment.qrSvg)}<figcaption>Key: <code>${view.enrollment.secret}</code></figcaption></figure>`
    : html`<p>Enter the 6-digit code from your authenticator app.</p>`;
  return html`${enrol}
${postForm(
  action,
  view.csrfToken,
  html`${field({ name: "code", label: "Code", type: "text", inputmode: "numeric", autocomplete: "one-time-code", errors: view.errors })}
<div class="actions"><button type="submit">Verify</button></div>`,
  hidden("method", "totp"),
)}
${view.enrollment ? "" : html`<p><a href="${action}?method=recovery">Use a recovery code</a></p>
${passkeyLink}`}`;
}

/** Shown once after enrolment during sign-in: the new recovery codes, then on to where the sign-in was going. */
export function recoveryCodesBody(codes: string[], continueTo: string): Html {
  return html`<p>Save these recovery codes somewhere safe. Each works once if you lose your authenticator.</p>
<ul>${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<p><a class="button" href="${continueTo}">Continue</a></p>`;
}
