/**
 * `HYPERDRIVE` is bound only where the api worker runs on PostgreSQL (a
 * `[[hyperdrive]]` block added to the deploy's wrangler config; locally
 * `npm start -- --postgres` and vitest.pg.config.ts add it). wrangler.toml, from
 * which `wrangler types` generates worker-configuration.d.ts, leaves it out so
 * D1-only deploys need no Hyperdrive, hence this optional declaration.
 */
interface Env {
  HYPERDRIVE?: Hyperdrive;
}
declare namespace Cloudflare {
  interface Env {
    HYPERDRIVE?: Hyperdrive;
  }
}
