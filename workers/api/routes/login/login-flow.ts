import { loadAuthorizationRequest, type PendingAuthorization } from "@plinto/core";
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../app-env";
import { hidden } from "../../views/login/form";
import type { Html } from "../../views/login/layout";
import { safeContinueTo } from "./continue-to";
import { renderErrorPage } from "./hosted-error";

/**
 * What a hosted page is part of: an authorization request (`request`, the stored request's id),
 * or another hosted flow that sent the user to sign in (`return_to`, e.g. the /device page),
 * or neither. Carried from page to page in links and hidden fields.
 */
export interface LoginFlow {
  pending: PendingAuthorization | null;
  returnTo: string | null;
  /** Where the browser goes once signed in. */
  continueTo: string;
  /** `?request=...` or `?return_to=...` (or empty), for links to the other hosted pages. */
  query: string;
  /** The same as hidden form fields. */
  fields: Html;
  /** Where a form's redirects may end (the client's redirect_uri), for the page's CSP form-action. */
  formTargets: string[];
}

/** Reads the flow from query or form values; an unknown or expired request answers with the error page. */
export async function loginFlow(
  c: Context<AppEnv>,
  values: { request?: string | undefined; return_to?: string | undefined },
): Promise<LoginFlow | Response> {
  const scope = c.get("scope");
  if (values.request) {
    const pending = await loadAuthorizationRequest(c.get("deps"), scope, values.request);
    if (!pending) {
      return renderErrorPage(c, "This sign-in request has expired or was already completed. Go back to the app and start again.", 400);
    }
    const query = `?request=${encodeURIComponent(pending.id)}`;
    return {
      pending,
      returnTo: null,
      continueTo: `${scope.issuer}/login/continue${query}`,
      query,
      fields: hidden("request", pending.id),
      formTargets: [pending.request.redirectUri],
    };
  }
  const returnTo = values.return_to ? safeContinueTo(scope, values.return_to) : null;
  return {
    pending: null,
    returnTo,
    continueTo: returnTo ?? `${scope.issuer}/login`,
    query: returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : "",
    fields: returnTo ? hidden("return_to", returnTo) : html``,
    formTargets: [],
  };
}

/** The flow named by the query string (GET pages). */
export const loginFlowFromQuery = (c: Context<AppEnv>) => loginFlow(c, { request: c.req.query("request"), return_to: c.req.query("return_to") });

/** The flow named by a posted form. */
export async function loginFlowFromForm(c: Context<AppEnv>): Promise<LoginFlow | Response> {
  const form = await c.req.parseBody();
  const text = (name: string) => (typeof form[name] === "string" ? form[name] : undefined);
  return loginFlow(c, { request: text("request"), return_to: text("return_to") });
}

/** A posted text field, trimmed to at most `max` characters ("" when absent). */
export async function formText(c: Context<AppEnv>, name: string, max = 1_024): Promise<string> {
  const value = (await c.req.parseBody())[name];
  return typeof value === "string" ? value.slice(0, max) : "";
}
