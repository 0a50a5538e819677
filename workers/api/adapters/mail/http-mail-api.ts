import { type Mailer, type OutgoingEmail, PlintoError } from "@plinto/core";

/** How the adapter reaches the provider: `fetch` in production, a fake provider in tests. */
export type MailFetcher = (request: Request) => Promise<Response>;

export interface HttpMailApiConfig {
  url: string;
  /** Sent only as `Authorization: Bearer`; never part of an error or a log line. */
  apiKey: string;
  timeoutMs?: number;
  fetcher?: MailFetcher;
}

export const DEFAULT_MAIL_API_TIMEOUT_MS = 10_000;

/** `"Name" <address>` with the display name as an RFC 5322 §3.2.4 quoted string; no line breaks survive. */
export function formatMailbox(from: OutgoingEmail["from"]): string {
  const address = from.address.replace(/[\r\n<>]/g, "");
  if (!from.name) return address;
  const name = from.name.replace(/[\r\n]+/g, " ").replace(/["\\]/g, "\\$&");
  return `"${name}" <${address}>`;
}

/** The JSON body: the common shape of transactional mail APIs (`from`, `to[]`, `subject`, `text`, `html`). */
export const mailApiBody = (email: OutgoingEmail) => ({
  from: formatMailbox(email.from),
  to: [email.to],
  subject: email.subject,
  text: email.text,
  html: email.html,
});

/**
 * A transactional mail HTTP API: one JSON POST with a bearer key, bounded by
 * a timeout. Anything but 2xx is a failure (503 `mail_unavailable`); the
 * error names the status only, never the key, the URL or the reply body.
 */
export function httpMailApiMailer(config: HttpMailApiConfig): Mailer {
  const timeoutMs = config.timeoutMs ?? DEFAULT_MAIL_API_TIMEOUT_MS;
  const fetcher: MailFetcher = config.fetcher ?? ((request) => fetch(request));
  return {
    async send(email) {
      const request = new Request(config.url, {
        method: "POST",
        headers: { Authorization: `Bearer ${config.apiKey}`, "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(mailApiBody(email)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      let response: Response;
      try {
        response = await fetcher(request);
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        const detail = timedOut ? `the mail API did not answer within ${timeoutMs} ms` : "the mail API could not be reached";
        throw new PlintoError("mail_unavailable", { detail });
      }
      await response.body?.cancel();
      if (!response.ok) throw new PlintoError("mail_unavailable", { detail: `the mail API answered ${response.status}` });
    },
  };
}
