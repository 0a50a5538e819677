#!/usr/bin/env node
/**
 * Policy decisions per second (issue 6 "evaluation is pure and fast").
 *
 * Bundles the evaluator exactly as it ships (esbuild, the bundler wrangler
 * uses) and measures, interleaved in one run on one core:
 *   - baseline: a hand-written role -> allowed-actions Set lookup, the least a
 *     "may this user do X" check can cost;
 *   - evaluate: the compiled tenant policy (40 rules: role grants, same org,
 *     resource owner, time window, permission and attribute conditions), the
 *     hot path once a tenant's rules are compiled;
 *   - compile+evaluate: what POST /policies/evaluate does per request today
 *     (compile the stored rules, then decide).
 * The evaluator is pure JavaScript with no I/O, so V8 in Node measures the
 * same code workerd runs. Usage: node bench/policy.mjs [--quick]
 */
import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "bench/out/policy/evaluator.mjs");
mkdirSync(dirname(outfile), { recursive: true });
await build({ entryPoints: [join(root, "bench/policy-entry.ts")], bundle: true, format: "esm", platform: "neutral", outfile, logLevel: "error", mainFields: ["module", "main"] });
const { compilePolicy, evaluate, policyRulesSchema } = await import(pathToFileURL(outfile).href);

const quick = process.argv.includes("--quick");
const WINDOW_MS = quick ? 300 : 1000;
const ROUNDS = quick ? 3 : 7;

/** A realistic tenant: 8 resources x 4 actions of role grants plus conditional and deny rules. */
function tenantRules() {
  const resources = ["documents", "projects", "invoices", "reports", "members", "settings", "tickets", "files"];
  const rules = [];
  for (const resource of resources) {
    rules.push({ id: `${resource}-read`, effect: "allow", actions: [`${resource}:read`], roles: ["owner", "admin", "member", "viewer"], conditions: [{ type: "same_org" }] });
    rules.push({ id: `${resource}-write`, effect: "allow", actions: [`${resource}:edit`, `${resource}:create`], roles: ["owner", "admin", "member"], conditions: [{ type: "same_org" }] });
    rules.push({ id: `${resource}-delete-own`, effect: "allow", actions: [`${resource}:delete`], conditions: [{ type: "resource_owner" }, { type: "same_org" }] });
    rules.push({ id: `${resource}-admin`, effect: "allow", actions: [`${resource}:*`], roles: ["owner", "admin"], conditions: [{ type: "has_permission", permission: "organization:update" }] });
    rules.push({ id: `${resource}-locked`, effect: "deny", actions: [`${resource}:edit`, `${resource}:delete`], conditions: [{ type: "attribute_equals", resource_attribute: "locked", value: true }] });
  }
  return policyRulesSchema.parse(rules.slice(0, 38).concat([
    { id: "maintenance", effect: "deny", actions: ["*"], conditions: [{ type: "time_window", start: "03:00", end: "03:30" }] },
    { id: "dept-reports", effect: "allow", actions: ["reports:export"], conditions: [{ type: "attribute_equals", resource_attribute: "department", subject_attribute: "department" }] },
  ]));
}

const rules = tenantRules();
const compiled = compilePolicy(rules);
const NOON = Date.UTC(2026, 0, 5, 12, 0);
const requests = ["documents:edit", "projects:read", "invoices:delete", "reports:export", "tickets:create", "files:edit", "members:read", "settings:edit"].map((action, i) => ({
  subject: { userId: `u${i % 3}`, organizationId: "org_a", role: ["member", "admin", "viewer"][i % 3], permissions: ["organization:read", "organization:update"], attributes: { department: "sales" } },
  action,
  resource: { type: action.split(":")[0], ownerId: `u${i % 2}`, organizationId: i % 4 === 3 ? "org_b" : "org_a", attributes: { locked: i === 5, department: "sales" } },
  now: NOON,
}));

const baselineTable = new Map([
  ["member", new Set(requests.map((r) => r.action).filter((a) => !a.endsWith(":delete")))],
  ["admin", new Set(requests.map((r) => r.action))],
  ["viewer", new Set(requests.map((r) => r.action).filter((a) => a.endsWith(":read")))],
]);
const baseline = (request) => ({ allowed: baselineTable.get(request.subject.role)?.has(request.action) === true, reasons: [] });

const variants = {
  baseline: (request) => baseline(request),
  evaluate: (request) => evaluate(compiled, request),
  "compile+evaluate": (request) => evaluate(compilePolicy(rules), request),
};

let sink = 0;
function measure(decide) {
  const end = performance.now() + WINDOW_MS;
  let n = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 256; i++) if (decide(requests[(n + i) & 7]).allowed) sink++;
    n += 256;
  }
  return (n / WINDOW_MS) * 1000;
}

for (const decide of Object.values(variants)) measure(decide); // warm-up, JIT
const samples = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) for (const [name, decide] of Object.entries(variants)) samples[name].push(measure(decide));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(samples.baseline);
console.log(`policy decisions/s (median of ${ROUNDS} x ${WINDOW_MS} ms, ${rules.length} rules, Node ${process.version}, one core)`);
for (const [name, values] of Object.entries(samples)) {
  const rate = median(values);
  console.log(`  ${name.padEnd(18)} ${Math.round(rate).toLocaleString("en-US").padStart(12)} /s   ${(rate / base).toFixed(3)}x baseline   ${(1e6 / rate).toFixed(2)} µs/decision`);
}
const check = requests.map((request) => evaluate(compiled, request).allowed);
console.log(`  decisions of the 8 requests: ${check.map((a) => (a ? "allow" : "deny")).join(" ")} (sink ${sink > 0})`);
