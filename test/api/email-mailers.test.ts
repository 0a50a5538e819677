import { afterEach, describe, expect, it, vi } from "vitest";
import { PlintoError } from "@plinto/core";
import { httpMailApiMailer } from "../../workers/api/adapters/mail/http-mail-api";
import { expectProblem, freshIp, json, type TokenBody } from "./helpers";
import { emailApi, emailTenant, signUpVia, uniqueAddress } from "./email-helpers";

const API_KEY = "mk_live_SUPER_SECRET_provider_key_0123456789";
const HTTP_VARS = { MAIL_PROVIDER: "http", MAIL_API_URL: "https://mail.provider.test/v1/send", MAIL_API_KEY: API_KEY };

interface Captured {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** A fake mail provider: records each request and answers with `status`. */
function fakeProvider(status = 202) {
  const requests: Captured[] = [];
  const provider = {
    requests,
    status,
    fetcher: async (request: Request): Promise<Response> => {
      requests.push({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: (await request.json()) as Record<string, unknown>,
      });
      return new Response(JSON.stringify({ id: "msg_1", echo: request.headers.get("Authorization") }), { status: provider.status });
    },
  };
  return provider;
}

/** Everything written to the error log during `run`. */
async function errorLog(run: () => Promise<void>): Promise<string> {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await run();
    return spy.mock.calls.map((args) => args.map(String).join(" ")).join("\n");
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("HTTP mail API adapter", () => {
  it("POSTs one JSON message with the bearer key to MAIL_API_URL", async () => {
    const provider = fakeProvider();
    const api = emailApi({ vars: HTTP_VARS, mailFetcher: provider.fetcher });
    const tenant = await emailTenant(api, { email: { from_address: "hello@acme.example", from_name: 'Acme "Auth"' } });
    const email = uniqueAddress();
    expect((await signUpVia(api, tenant, email)).status).toBe(201);

    expect(provider.requests).toHaveLength(1);
    const [request] = provider.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("https://mail.provider.test/v1/send");
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.body).toEqual({
      from: '"Acme \\"Auth\\"" <hello@acme.example>',
      to: [email],
      subject: `Confirm your email for Tenant ${tenant.slug}`,
      text: expect.stringContaining("paste this token"),
      html: expect.stringContaining("<code>"),
    });
  });

  it("a non-2xx answer is 503 mail_unavailable on an inline send, and neither the body nor the log carries the key", async () => {
    const provider = fakeProvider();
    const api = emailApi({ vars: HTTP_VARS, mailFetcher: provider.fetcher });
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    const { access_token } = await json<TokenBody>(await signUpVia(api, tenant, email));
    provider.status = 401;

    let body = "";
    const log = await errorLog(async () => {
      const response = await api.call(`${tenant.base}/email-verification`, { body: {}, token: access_token, ip: freshIp() });
      body = await response.clone().text();
      await expectProblem(response, 503, "mail_unavailable");
      // Public flows still answer 202 (the failure happens after the response) and log it.
      const reset = await api.call(`${tenant.base}/password-reset`, { body: { email }, ip: freshIp() });
      expect(reset.status).toBe(202);
    });
    expect(body).not.toContain(API_KEY);
    expect(log).toContain("the mail API answered 401");
    expect(log).toContain("deferred_task_failed");
    expect(log).not.toContain(API_KEY);
    expect(log).not.toContain("mail.provider.test");
  });

  it("gives up after the timeout with an error that names no secret", async () => {
    const hanging = (request: Request) =>
      new Promise<Response>((_resolve, reject) => request.signal.addEventListener("abort", () => reject(request.signal.reason)));
    const mailer = httpMailApiMailer({ url: "https://mail.provider.test/v1/send", apiKey: API_KEY, timeoutMs: 20, fetcher: hanging });
    const error = await mailer
      .send({ tenantId: "ten_x", to: "a@example.com", from: { address: "no-reply@x.example", name: null }, subject: "s", text: "t", html: "h" })
      .then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlintoError);
    expect((error as PlintoError).code).toBe("mail_unavailable");
    expect((error as PlintoError).message).toBe("the mail API did not answer within 20 ms");
    expect(JSON.stringify(error)).not.toContain(API_KEY);
  });

  it("MAIL_PROVIDER http without the key fails closed", async () => {
    const api = emailApi({ vars: { ...HTTP_VARS, MAIL_API_KEY: undefined } });
    const tenant = await emailTenant(api);
    await expectProblem(await api.call(`${tenant.base}/magic-links`, { body: { email: uniqueAddress() }, ip: freshIp() }), 503, "mail_unavailable");
  });
});

describe("Cloudflare Email adapter", () => {
  it("sends the structured message through the send_email binding", async () => {
    const sent: unknown[] = [];
    const binding = { send: async (message: unknown) => void sent.push(message) };
    const api = emailApi({ vars: { MAIL_PROVIDER: "cloudflare", EMAIL: binding } });
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    expect(sent).toEqual([
      {
        from: { email: "no-reply@localhost", name: `Tenant ${tenant.slug}` },
        to: email,
        subject: `Confirm your email for Tenant ${tenant.slug}`,
        text: expect.stringContaining("paste this token"),
        html: expect.stringContaining("<code>"),
      },
    ]);
  });

  it("without the binding every email flow is 503 mail_unavailable", async () => {
    const api = emailApi({ vars: { MAIL_PROVIDER: "cloudflare" } });
    const tenant = await emailTenant(api);
    await expectProblem(await api.call(`${tenant.base}/email-codes`, { body: { email: uniqueAddress() }, ip: freshIp() }), 503, "mail_unavailable");
  });
});

describe("production without a mail provider", () => {
  const production = { PLINTO_ENV: "production" };

  it("has no dev mailbox", async () => {
    const api = emailApi({ vars: production });
    await expectProblem(await api.call("/dev/mailbox"), 404, "not_found");
    await expectProblem(await api.call("/dev/mailbox/messages?to=a@example.com"), 404, "not_found");
  });

  it("never pretends to send: email requests are 503 and required-verification sign-up creates nothing", async () => {
    const api = emailApi({ vars: production });
    const tenant = await emailTenant(api, { email: { verification: "required" } });
    const email = uniqueAddress();
    for (const path of ["/password-reset", "/magic-links", "/email-codes", "/email-verification"]) {
      await expectProblem(await api.call(`${tenant.base}${path}`, { body: { email }, ip: freshIp() }), 503, "mail_unavailable");
    }
    await expectProblem(await signUpVia(api, tenant, email), 503, "mail_unavailable");
    const users = await api.call(`${tenant.base}/admin/users?query=${encodeURIComponent(email)}`, { token: tenant.secretKey });
    expect((await json<{ data: unknown[] }>(users)).data).toEqual([]);
  });
});

describe("dev mailbox", () => {
  it("shows stored mail on an HTML page with every value escaped", async () => {
    const api = emailApi();
    const tenant = await emailTenant(api);
    const email = uniqueAddress();
    await signUpVia(api, tenant, email);
    const page = await api.call(`/dev/mailbox?to=${encodeURIComponent(email)}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain(`Confirm your email for Tenant ${tenant.slug}`);
    expect(html).toContain("&lt;code&gt;"); // the message's HTML is shown as escaped source, never rendered
  });
});
