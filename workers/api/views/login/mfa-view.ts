import { html, raw } from "hono/html";
import { field, hidden, postForm } from "./form";
import type { Html, PageError } from "./layout";

export interface MfaView {
  issuer: string;
  csrfToken: string;
  method: "totp" | "recovery";
  errors: PageError[];
  /** When the tenant requires MFA and the user has none: the new TOTP secret to add to an app. */
  enrollment: { secret: string; qrSvg: string } | null;
}

/** The second step: a code from the authenticator app (or enrolment of one), or a recovery code. */
export function mfaBody(view: MfaView): Html {
  const action = `${view.issuer}/login/mfa`;
  if (view.method === "recovery") {
    return html`${postForm(
      action,
      view.csrfToken,
      html`${field({ name: "recovery_code", label: "Recovery code", type: "text", autocomplete: "off", errors: view.errors })}
<div class="actions"><button type="submit">Continue</button></div>`,
      hidden("method", "recovery"),
    )}
<p><a href="${action}">Use your authenticator app instead</a></p>`;
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
${view.enrollment ? "" : html`<p><a href="${action}?method=recovery">Use a recovery code</a></p>`}`;
}

/** Shown once after enrolment during sign-in: the new recovery codes, then on to where the sign-in was going. */
export function recoveryCodesBody(codes: string[], continueTo: string): Html {
  return html`<p>Save these recovery codes somewhere safe. Each works once if you lose your authenticator.</p>
<ul>${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
<p><a class="button" href="${continueTo}">Continue</a></p>`;
}
