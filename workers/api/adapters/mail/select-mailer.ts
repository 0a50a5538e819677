import type { Mailer } from "@plinto/core";
import { cloudflareEmailMailer } from "./cloudflare-email";
import { devMailboxMailer } from "./dev-mailbox";
import { type MailFetcher, httpMailApiMailer } from "./http-mail-api";
import { unavailableMailer } from "./unavailable";

/**
 * Bindings a deployment adds only when it uses them, so wrangler.toml (and the
 * generated Env) does not declare them: the `send_email` binding and the
 * provider's API key secret.
 */
interface OptionalMailBindings {
  EMAIL?: SendEmail;
  MAIL_API_KEY?: string;
}

/** The dev mailbox is a local tool: it exists only when PLINTO_ENV is development or test. */
export const isLocalEnv = (env: Pick<Env, "PLINTO_ENV">): boolean => env.PLINTO_ENV === "development" || env.PLINTO_ENV === "test";

/**
 * MAIL_PROVIDER picks the adapter: "dev" (local only), "cloudflare" (binding
 * EMAIL), "http" (MAIL_API_URL + secret MAIL_API_KEY). Unset means "dev"
 * locally and nothing in production. Any missing piece yields a mailer that
 * refuses with 503 `mail_unavailable` naming what is missing.
 */
export function selectMailer(env: Env & OptionalMailBindings, fetcher?: MailFetcher): Mailer {
  const provider = env.MAIL_PROVIDER || (isLocalEnv(env) ? "dev" : "");
  switch (provider) {
    case "dev":
      return isLocalEnv(env)
        ? devMailboxMailer(env.DB)
        : unavailableMailer('MAIL_PROVIDER "dev" only stores mail when PLINTO_ENV is development or test');
    case "cloudflare":
      return env.EMAIL ? cloudflareEmailMailer(env.EMAIL) : unavailableMailer('MAIL_PROVIDER "cloudflare" needs a send_email binding named EMAIL');
    case "http":
      return env.MAIL_API_URL && env.MAIL_API_KEY
        ? httpMailApiMailer({ url: env.MAIL_API_URL, apiKey: env.MAIL_API_KEY, fetcher })
        : unavailableMailer('MAIL_PROVIDER "http" needs MAIL_API_URL and the MAIL_API_KEY secret');
    case "":
      return unavailableMailer("no MAIL_PROVIDER is configured");
    default:
      return unavailableMailer(`unknown MAIL_PROVIDER "${provider.slice(0, 20)}"`);
  }
}
