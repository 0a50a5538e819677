#!/usr/bin/env node
// `npm start`: the whole local stack on workerd (api worker, local D1, KV, Durable Objects), seeded with a demo tenant.
// `npm start -- --postgres`: the same with storage in PostgreSQL (127.0.0.1:5432, database `plinto`, or DATABASE_URL)
// through a Hyperdrive binding.
import { startStack } from "./stack.mjs";

const port = Number(process.env.PORT ?? 8787);
const postgres = process.argv.includes("--postgres");
const stack = await startStack({ port, postgres });
const { url, edgeUrl, demo, operatorKey } = stack;
const base = `${url}/t/${demo.slug}/api/v1`;

console.log(`
Plinto is running at ${url}   (storage: ${postgres ? "PostgreSQL through Hyperdrive" : "D1"})

  API docs        ${url}/api/v1/docs   (OpenAPI: ${url}/api/v1/openapi.json)
  Demo tenant     ${demo.issuer}
  Auth API        ${base}
  JWKS            ${demo.issuer}/.well-known/jwks.json
  Edge verifier   ${edgeUrl}/verify   (POST with Authorization: Bearer <access token>)
  Operator key    ${operatorKey}        (from .dev.vars)
  Secret key      ${demo.secretKey}     (demo tenant's management key)

Try it:
  curl -s -X POST ${base}/identities -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","password":"correct horse battery staple"}'
  curl -s -X POST ${base}/sessions -H 'content-type: application/json' \\
    -d '{"email":"ada@example.com","password":"correct horse battery staple"}'
  curl -s ${base}/admin/users -H 'authorization: Bearer ${demo.secretKey}'

Ctrl-C stops everything; local data persists in .wrangler/state.
`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stack.stop();
    process.exit(0);
  });
}
for (const child of stack.children) {
  child.on("exit", (code) => {
    stack.stop();
    process.exit(code ?? 0);
  });
}
