/** Bench entry for bench/policy.mjs: the evaluator and rule validation, bundled as they ship. */
export { compilePolicy, evaluate } from "../packages/core/src/policy/evaluate";
export { policyRulesSchema } from "../packages/contracts/src/policies";
