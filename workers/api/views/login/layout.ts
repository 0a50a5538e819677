import { randomSecret } from "@plinto/core";
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AppEnv } from "../../app-env";
import { LOGIN_STYLES } from "./styles";

/** What hono's `html` tag yields. */
export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** One problem to show in the error summary; `field` is the id of the input it is about. */
export interface PageError {
  field?: string;
  message: string;
}

export interface PageOptions {
  title: string;
  body: Html;
  status?: ContentfulStatusCode;
  /** Listed in an error summary (role="alert") above the body, each linked to its field. */
  errors?: PageError[];
  /**
   * URIs a form on the page may end up at through redirects (the client's redirect_uri,
   * a post_logout_redirect_uri): Chromium applies CSP form-action to every redirect of a
   * form submission (CSP3 §6.3.1.1), so their origins must be listed.
   */
  formTargets?: string[];
  /** Script source for the one page that needs JavaScript (passkeys); a constant, never built from input. */
  script?: string;
}

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
const DEFAULT_PRIMARY = "#1f6feb";
const DEFAULT_BACKGROUND = "#f6f8fa";

/**
 * A CSP source for where a form may lead: the origin of an http(s) URI, or the scheme of a
 * native app's private-use URI (RFC 8252 §7.1); null for anything else.
 */
export function formActionSource(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol === "https:" || url.protocol === "http:") return url.origin;
  return /^[a-z][a-z0-9+.-]*:$/.test(url.protocol) ? url.protocol : null;
}

function contentSecurityPolicy(nonce: string, options: PageOptions): string {
  const targets = [...new Set((options.formTargets ?? []).map(formActionSource).filter((source) => source !== null))];
  const directives = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    "img-src https:",
    `form-action 'self'${targets.map((source) => ` ${source}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ];
  if (options.script !== undefined) directives.push(`script-src 'nonce-${nonce}'`, "connect-src 'self'");
  return directives.join("; ");
}

/** The tenant's branding, each value re-checked before it reaches the page (colours go into CSS). */
function branding(c: Context<AppEnv>) {
  const { tenant } = c.get("scope");
  const { display_name, logo_url, primary_color, background_color } = tenant.settings.branding;
  return {
    name: display_name ?? tenant.name,
    logo: logo_url?.startsWith("https://") ? logo_url : null,
    primary: HEX_COLOUR.test(primary_color) ? primary_color : DEFAULT_PRIMARY,
    background: HEX_COLOUR.test(background_color) ? background_color : DEFAULT_BACKGROUND,
  };
}

/** The error summary pattern: focusable, announced (role="alert"), each message links to its field. */
export function errorSummary(errors: PageError[]): Html {
  if (errors.length === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">There is a problem</h2>
<ul>${errors.map((error) => (error.field ? html`<li><a href="#${error.field}">${error.message}</a></li>` : html`<li>${error.message}</li>`))}</ul>
</div>`;
}

/**
 * Renders a hosted page (sign-in, consent, device, logout, error): server-rendered HTML with
 * the tenant's name, logo and colours, a per-response nonce for its one <style> (and the
 * passkey page's one <script>), and a CSP that allows nothing else. Works without JavaScript.
 */
export async function renderPage(c: Context<AppEnv>, options: PageOptions): Promise<Response> {
  const nonce = randomSecret(16);
  const brand = branding(c);
  const errors = options.errors ?? [];
  const title = `${errors.length > 0 ? "Error: " : ""}${options.title} - ${brand.name}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style nonce="${nonce}">:root{--primary:${raw(brand.primary)};--background:${raw(brand.background)}}${raw(LOGIN_STYLES)}</style>
</head>
<body>
<main>
<header>${brand.logo ? html`<img src="${brand.logo}" alt="${brand.name}">` : html`<p>${brand.name}</p>`}</header>
<h1>${options.title}</h1>
${errorSummary(errors)}
${options.body}
</main>
${options.script !== undefined ? html`<script nonce="${nonce}">${raw(options.script)}</script>` : ""}
</body>
</html>`;
  const response = await c.html(page, options.status ?? 200);
  response.headers.set("Content-Security-Policy", contentSecurityPolicy(nonce, options));
  response.headers.set("Cache-Control", "no-store");
  return response;
}
