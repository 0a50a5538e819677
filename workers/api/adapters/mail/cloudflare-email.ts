import { type Mailer, PlintoError } from "@plinto/core";

/**
 * Cloudflare Email through a `send_email` binding, in the structured form
 * (`send({ from, to, subject, text, html })`): the runtime builds the MIME
 * message, so no MIME library and no header assembly here.
 */
export function cloudflareEmailMailer(binding: SendEmail): Mailer {
  return {
    async send(email) {
      const from = email.from.name ? { email: email.from.address, name: email.from.name } : email.from.address;
      try {
        await binding.send({ from, to: email.to, subject: email.subject, text: email.text, html: email.html });
      } catch (error) {
        const name = error instanceof Error ? error.name : typeof error;
        throw new PlintoError("mail_unavailable", { detail: `Cloudflare Email did not accept the message (${name})` });
      }
    },
  };
}
