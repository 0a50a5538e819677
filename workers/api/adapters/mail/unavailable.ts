import { type Mailer, PlintoError } from "@plinto/core";

/**
 * What production gets when no real provider is configured: it never
 * pretends to send. Flows see `unavailable` and answer 503 `mail_unavailable`
 * before doing anything; a send that gets here anyway throws the same error.
 */
export function unavailableMailer(reason: string): Mailer {
  return {
    unavailable: reason,
    async send() {
      throw new PlintoError("mail_unavailable", { detail: reason });
    },
  };
}
