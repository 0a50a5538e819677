/** One rendered message, ready to send. */
export interface OutgoingEmail {
  tenantId: string;
  to: string;
  from: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail leaves Plinto. Adapters: Cloudflare Email (`send_email`
 * binding), an HTTP mail API, and a dev mailbox that only stores messages.
 * `send` throws when the message was not accepted.
 */
export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  /**
   * Set, to the reason, by a mailer that cannot deliver at all (production
   * with no provider configured): flows answer 503 `mail_unavailable` up
   * front instead of accepting work they cannot do. Its `send` throws the
   * same error.
   */
  readonly unavailable?: string;
}
