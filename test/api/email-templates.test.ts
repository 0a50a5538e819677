import { describe, expect, it } from "vitest";
import { call, expectProblem, freshIp, json, OPERATOR_KEY, uniqueSlug } from "./helpers";
import { allAuditEvents } from "./admin-helpers";
import { emailApi, type EmailApi, emailTenant, lastMailTo, signUpVia, uniqueAddress } from "./email-helpers";
import type { TestTenant } from "./helpers";

interface TemplateBody {
  kind: string;
  subject: string;
  text: string;
  html: string;
  variables: string[];
  customized: boolean;
  updated_at: string | null;
}

const KINDS = [
  "email_verification",
  "password_reset",
  "magic_link",
  "email_code",
  "password_changed",
  "recovery_code_used",
  "organization_invitation",
];

async function tenantNamed(name: string): Promise<TestTenant> {
  const slug = uniqueSlug();
  const response = await call("/api/v1/operator/tenants", { token: OPERATOR_KEY, body: { slug, name, allowed_origins: [] } });
  expect(response.status).toBe(201);
  const body = await json<{ tenant: { id: string; issuer: string }; secret_key: { secret: string } }>(response);
  return { slug, id: body.tenant.id, secretKey: body.secret_key.secret, issuer: body.tenant.issuer, base: `/t/${slug}/api/v1` };
}

const templates = (api: EmailApi, tenant: TestTenant, path = "", options: { method?: string; body?: unknown; token?: string } = {}) =>
  api.call(`${tenant.base}/admin/email-templates${path}`, { token: tenant.secretKey, ...options });

describe("admin email templates", () => {
  it("lists every kind with its default and the variables it may use", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const response = await templates(api, tenant);
    expect(response.status).toBe(200);
    const { data } = await json<{ data: TemplateBody[] }>(response);
    expect(data.map((template) => template.kind)).toEqual(KINDS);
    for (const template of data) {
      expect(template.customized).toBe(false);
      expect(template.updated_at).toBeNull();
      expect(template.variables).toEqual(expect.arrayContaining(["app_name", "email"]));
      expect(template.subject.length).toBeGreaterThan(0);
      expect(template.html).toContain("<html>");
    }
    const code = await json<TemplateBody>(await templates(api, tenant, "/email_code"));
    expect(code.variables).toEqual(["app_name", "email", "code", "expires_in_minutes"]);
    await expectProblem(await templates(api, tenant, "/welcome"), 404, "not_found");
    await expectProblem(await templates(api, tenant, "", { token: "sk_test_not_a_key" }), 401, "invalid_api_key");
  });

  it("an override is used by the next mail, with values HTML-escaped in the HTML part only; delete restores the default", async () => {
    const api = emailApi();
    const tenant = await tenantNamed(`<b>Tom & "Jerry's"</b>`);
    const put = await templates(api, tenant, "/magic_link", {
      method: "PUT",
      body: {
        subject: "Your link for {{ app_name }}",
        text: "Hi from {{app_name}}! {{#link}}Go: {{link}}{{/link}} Token: {{token}} ({{expires_in_minutes}} min)",
        html: "<p>Hi from {{app_name}}</p>{{#link}}<a href=\"{{link}}\">go</a>{{/link}}<code>{{token}}</code>",
      },
    });
    expect(put.status).toBe(200);
    const saved = await json<TemplateBody>(put);
    expect(saved).toMatchObject({ kind: "magic_link", customized: true });
    expect(saved.updated_at).not.toBeNull();

    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    expect((await api.call(`${tenant.base}/magic-links`, { body: { email }, ip: freshIp() })).status).toBe(202);
    const message = await lastMailTo(api, email);
    // The tenant name is markup-like: raw in subject and text, escaped in HTML (no injected <b>).
    expect(message.subject).toBe(`Your link for <b>Tom & "Jerry's"</b>`);
    expect(message.text).toMatch(/^Hi from <b>Tom & "Jerry's"<\/b>!  Token: [A-Za-z0-9_-]{43} \(15 min\)$/);
    expect(message.html).toContain("<p>Hi from &lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;</p>");
    expect(message.html).not.toContain("<b>");
    expect(message.html).not.toContain("<a href"); // no link base: the {{#link}} section is dropped

    const reset = await templates(api, tenant, "/magic_link", { method: "DELETE" });
    expect(reset.status).toBe(200);
    expect(await json<TemplateBody>(reset)).toMatchObject({ customized: false, subject: "Sign in to {{app_name}}" });
    const again = await api.call(`${tenant.base}/magic-links`, { body: { email }, ip: freshIp() });
    expect(again.status, await again.clone().text()).toBe(202);
    expect((await lastMailTo(api, email)).subject).toBe(`Sign in to <b>Tom & "Jerry's"</b>`);

    const types = (await allAuditEvents(tenant)).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(["email_template.updated", "email_template.deleted"]));
  });

  it("refuses unknown variables, malformed or unbalanced tags, and writes nothing", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const valid = { subject: "Code {{code}}", text: "{{code}}", html: "<b>{{code}}</b>" };
    const cases: [Record<string, string>, string][] = [
      [{ ...valid, text: "{{code}} {{password}}" }, "text"],
      [{ ...valid, subject: "{{token}}" }, "subject"], // token is not a variable of email_code
      [{ ...valid, html: "{{code | raw}}" }, "html"],
      [{ ...valid, html: "{{#code}}open" }, "html"],
      [{ ...valid, text: "{{/code}}" }, "text"],
      [{ ...valid, text: "{{{code}}}" }, "text"],
    ];
    for (const [body, path] of cases) {
      const response = await templates(api, tenant, "/email_code", { method: "PUT", body });
      const problem = await expectProblem(response, 400, "validation_failed");
      expect((problem as { errors?: { path: string }[] }).errors?.map((error) => error.path)).toContain(path);
    }
    await expectProblem(await templates(api, tenant, "/email_code", { method: "PUT", body: { ...valid, extra: 1 } }), 400, "validation_failed");
    await expectProblem(await templates(api, tenant, "/email_code", { method: "PUT", body: { ...valid, subject: "" } }), 400, "validation_failed");
    const current = await json<TemplateBody>(await templates(api, tenant, "/email_code"));
    expect(current.customized).toBe(false);
  });

  it("templates are per tenant", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const other = await emailTenant(api);
    const body = { subject: "Custom {{app_name}}", text: "{{code}}", html: "{{code}}" };
    expect((await templates(api, tenant, "/email_code", { method: "PUT", body })).status).toBe(200);
    expect((await json<TemplateBody>(await templates(api, other, "/email_code"))).customized).toBe(false);
    await expectProblem(await templates(api, other, "/email_code", { token: tenant.secretKey }), 401, "invalid_api_key");
  });
});
