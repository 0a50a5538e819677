import { type FieldError, PlintoError } from "../errors";
import type { EmailTemplate, TemplateValue } from "./templates";

/**
 * A deliberately small template language: `{{name}}` inserts a value and
 * `{{#name}}...{{/name}}` keeps its content only when the value is not empty.
 * No expressions, no loops, no partials: templates come from tenants, so
 * the only thing they can do is place the values Plinto passes.
 */
const SECTION = /\{\{#\s*([a-z_]+)\s*\}\}([\s\S]*?)\{\{\/\s*\1\s*\}\}/g;
const VARIABLE = /\{\{\s*([a-z_]+)\s*\}\}/g;
/** Anything that opens a tag; a template whose tags this grammar does not cover is refused on save. */
const ANY_TAG = /\{\{([^}]*)\}\}/g;

export type TemplateValues = Record<string, TemplateValue>;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes a value for HTML text and quoted attributes (OWASP XSS prevention, rules 1 and 2). */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);

function fill(template: string, values: TemplateValues, escape: (value: string) => string): string {
  const withSections = template.replace(SECTION, (_match, name: string, body: string) =>
    String(values[name] ?? "") === "" ? "" : body,
  );
  return withSections.replace(VARIABLE, (_match, name: string) => escape(String(values[name] ?? "")));
}

/**
 * Renders all three parts. Values are HTML-escaped in the HTML part only; the
 * subject loses line breaks, which could otherwise start a new header
 * (RFC 5322 §2.2: header fields end at CRLF).
 */
export function renderTemplate(template: EmailTemplate, values: TemplateValues): EmailTemplate {
  const subject = fill(template.subject, values, (value) => value).replace(/[\r\n]+/g, " ").trim();
  return { subject, text: fill(template.text, values, (value) => value), html: fill(template.html, values, escapeHtml) };
}

/** Every problem with one part: unknown variables, unbalanced or malformed tags. */
function partErrors(path: string, source: string, allowed: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  const opened: string[] = [];
  for (const match of source.matchAll(ANY_TAG)) {
    const tag = (match[1] ?? "").trim();
    const parsed = /^([#/]?)([a-z_]+)$/.exec(tag);
    if (!parsed) {
      errors.push({ path, message: `malformed tag {{${tag}}}`, code: "invalid_template" });
      continue;
    }
    const [, marker, name = ""] = parsed;
    if (!allowed.includes(name)) {
      errors.push({ path, message: `unknown variable {{${name}}}; allowed: ${allowed.join(", ")}`, code: "unknown_variable" });
    }
    if (marker === "#" && opened.length > 0) {
      errors.push({ path, message: `{{#${name}}} inside another section; sections do not nest`, code: "invalid_template" });
    }
    if (marker === "#") opened.push(name);
    if (marker === "/" && opened.pop() !== name) {
      errors.push({ path, message: `{{/${name}}} closes no open {{#${name}}}`, code: "invalid_template" });
    }
  }
  for (const name of opened) errors.push({ path, message: `{{#${name}}} is never closed`, code: "invalid_template" });
  return errors;
}

/** Refuses (400 `validation_failed`, naming each part) a template that uses anything but `allowed`. */
export function assertTemplateValid(template: EmailTemplate, allowed: readonly string[]): void {
  const errors = (["subject", "text", "html"] as const).flatMap((part) => partErrors(part, template[part], allowed));
  if (errors.length > 0) throw new PlintoError("validation_failed", { detail: "the template uses variables or tags it may not", errors });
}
