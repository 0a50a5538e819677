// Report helpers shared by bench/run.mjs and bench/edge.mjs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A fixed-width table: first column left-aligned, the others right-aligned, a rule under the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  return rows
    .map((row, r) =>
      row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "),
    )
    .flatMap((line, r) => (r === 0 ? [line, "-".repeat(line.length)] : [line]))
    .join("\n");
}

/** What was measured: the commit (and whether the tree was dirty) and the runtime versions. */
export function versions() {
  const read = (pkg) => {
    try {
      return JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, "utf8")).version;
    } catch {
      return "?";
    }
  };
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const dirty = git("status", "--porcelain", "--untracked-files=no").split("\n").filter(Boolean).length;
  const tree = `code: ${git("rev-parse", "--short", "HEAD") || "?"}${dirty ? ` + uncommitted changes in ${dirty} tracked files` : ""}`;
  return `${tree}; node ${process.versions.node}, wrangler ${read("wrangler")}, miniflare ${read("miniflare")}, workerd ${read("workerd")}`;
}
