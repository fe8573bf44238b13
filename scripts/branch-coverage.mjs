#!/usr/bin/env node
// Branch coverage of contracts/ (without contracts/testing/), derived from Hardhat's line coverage.
//
// Usage: node scripts/branch-coverage.mjs [--min <branch %>] [--min-decidable <%>] [--min-lines <line %>] [--lcov <path>] [--quiet] [--all]
// (--quiet: no list of open sides; --all: also list every covered side with the line that proves it)
// (npm run coverage runs `hardhat test --coverage` first, which writes coverage/lcov.info.)
//
// WHY: Hardhat 3's coverage reports statements and lines only. Its lcov has `DA:<line>,<0|1>` records and
// no BRDA/BRF. forge measures branches (`npm run coverage:branches`, scripts/forge-coverage.mjs) but runs
// the Solidity tests only; this bound needs no download and also sees what the TypeScript tests reach.
//
// METHOD. Branch points come from the Solidity AST of every contract file; whether a branch was taken is
// decided from the lcov line data only, conservatively:
//  * AST: taken from `artifacts/build-info/*` when the compiler input stored there is byte-identical to
//    the file on disk (a plain `hardhat build`); otherwise (a coverage build stores instrumented sources)
//    the file is parsed with the `solc` npm package (standard JSON, `stopAfter: "parsing"`, `ast` only).
//    AST `src` offsets are UTF-8 byte offsets; they are mapped to 1-based line numbers of the file.
//  * Branch points, two sides each: every `IfStatement` (true / false), every `Conditional` (ternary:
//    true / false), every `require(...)` / `assert(...)` call (pass / fail).
//  * What a DA line means (Hardhat's process-coverage.js): EDR tags every statement; a line is reported
//    executed (DA 1) only when no character of it belongs to a statement that never ran, and DA 0 when some
//    character does. So DA 1 on a line where a statement starts proves that statement ran; DA 0 proves
//    nothing about any one statement of the line.
//  * A side with a body (the true side of an `if`, the false side of an `if … else`) is covered when some
//    line of the body on which a statement (other than a bare `{ … }` block) starts has DA > 0.
//  * The false side of an `if` without `else` is covered when the true body always leaves (return,
//    revert, break/continue of the enclosing loop, a call of `revert(…)`, of a function whose name starts
//    with `_revert`, or of a project function whose every path reverts) and a later statement of the same
//    block (starting on a line after the `if`) has DA > 0 on its first line: statements of a block run in
//    order, so reaching it proves the condition was false once. When the body may fall through, or no
//    later statement of the block starts on a later line, the side is UNDETERMINABLE.
//  * A ternary's sides are expressions, not statements: line data cannot tell them apart, so both sides
//    are UNDETERMINABLE. The pass side of a `require`/`assert` is covered like the false side of a leaving
//    `if` (a later statement of the block, on a later line, executed); its fail side is always
//    UNDETERMINABLE (proving it would need the test that expects the named error; not attempted).
//  * UNDETERMINABLE sides count as NOT covered. Every doubt counts against coverage, so the percentage is
//    a LOWER BOUND of the true branch coverage. Sides reported "uncovered" were not proven covered (DA 0 on
//    every line that could prove them), which usually, but not always, means they never ran.
//  * Not counted as branch points: `&&`/`||` short-circuits, loop conditions, try/catch clauses.
//  * LIMIT: undeterminable sides stay undeterminable whatever the tests do (the false side of an `if`
//    whose body may fall through leaves no statement of its own to be seen executing), so the bound can
//    never exceed (branch sides − undeterminable) / branch sides. Hardhat's raw hit data
//    (coverage/data/solidity/*.json) does not lift this: its numbers count the tests that reached a
//    statement, not how often it ran, so "if reached more often than its body" cannot be derived from it.
//
// Output: per-file table (branch sides, covered, undeterminable, %, lines), totals, total line coverage
// from lcov (contracts/ without contracts/testing/), then every side not proven covered with file:line.
// Exit code 1 when `--min` (branch lower bound %), `--min-decidable` (covered share of the sides the line
// data can decide) or `--min-lines` (line %) is given and not met; 2 on missing input.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { parseFlags } from "./lib/flags.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CONTRACTS_DIR = "contracts";
const EXCLUDED_DIR = "contracts/testing/";

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  return parseFlags(argv, {
    defaults: { min: null, minDecidable: null, minLines: null, lcov: "coverage/lcov.info", quiet: false, all: false },
    spec: {
      "--min": { key: "min", kind: "number" },
      "--min-decidable": { key: "minDecidable", kind: "number" },
      "--min-lines": { key: "minLines", kind: "number" },
      "--lcov": { key: "lcov", kind: "string" },
      "--quiet": { key: "quiet", kind: "set" },
      "--all": { key: "all", kind: "set" },
    },
    usage: "node scripts/branch-coverage.mjs [--min <branch %>] [--min-decidable <%>] [--min-lines <line %>] [--lcov <path>] [--quiet] [--all]",
    fail,
  });
}

function fail(msg) {
  console.error(`branch-coverage: ${msg}`);
  process.exit(2);
}

// ---------------------------------------------------------------- inputs

/** lcov → Map(file relative to ROOT → Map(line → hits)). */
function readLcov(file) {
  const abs = path.resolve(ROOT, file);
  if (!fs.existsSync(abs)) fail(`${file} not found: run \`npx hardhat test --coverage\` first`);
  const result = new Map();
  let current = null;
  for (const raw of fs.readFileSync(abs, "utf8").split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith("SF:")) {
      let sf = line.slice(3);
      if (path.isAbsolute(sf)) sf = path.relative(ROOT, sf);
      sf = sf.split(path.sep).join("/");
      current = new Map();
      result.set(sf, current);
    } else if (line.startsWith("DA:") && current) {
      const [ln, hits] = line.slice(3).split(",");
      current.set(Number(ln), Number(hits));
    } else if (line === "end_of_record") current = null;
  }
  return result;
}

function listContracts(dir) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (`${rel}/` !== EXCLUDED_DIR) out.push(...listContracts(rel));
    } else if (entry.name.endsWith(".sol")) out.push(rel);
  }
  return out.sort();
}

const isCounted = (file) => file.startsWith(`${CONTRACTS_DIR}/`) && !file.startsWith(EXCLUDED_DIR);

/** ASTs from Hardhat's build-info where the stored input equals the file on disk. */
function astsFromBuildInfo(files, contents) {
  const found = new Map();
  const dir = path.join(ROOT, "artifacts", "build-info");
  if (!fs.existsSync(dir)) return found;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(".json") || name.endsWith(".output.json")) continue;
    let info;
    try {
      info = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    } catch {
      continue;
    }
    const sources = info?.input?.sources;
    if (!sources) continue;
    const wanted = [];
    for (const f of files) {
      if (found.has(f)) continue;
      const sourceName = info.userSourceNameMap?.[f] ?? (sources[`project/${f}`] ? `project/${f}` : f);
      if (sources[sourceName]?.content === contents.get(f)) wanted.push([f, sourceName]);
    }
    if (wanted.length === 0) continue;
    let output = info.output;
    if (!output) {
      const outFile = path.join(dir, name.replace(/\.json$/, ".output.json"));
      if (!fs.existsSync(outFile)) continue;
      try {
        output = JSON.parse(fs.readFileSync(outFile, "utf8")).output;
      } catch {
        continue;
      }
    }
    for (const [f, sourceName] of wanted) {
      const ast = output?.sources?.[sourceName]?.ast;
      if (ast) found.set(f, ast);
    }
  }
  return found;
}

/** ASTs from solc (npm package), parsing only; imports resolved from the project, remappings and node_modules. */
function astsFromSolc(files, contents) {
  const require = createRequire(path.join(ROOT, "package.json"));
  const solc = require("solc");
  const remappings = [];
  const remapFile = path.join(ROOT, "remappings.txt");
  if (fs.existsSync(remapFile)) {
    for (const l of fs.readFileSync(remapFile, "utf8").split(/\r?\n/)) {
      const m = l.trim().match(/^(?:[^:=]+:)?([^=]+)=(.+)$/);
      if (m) remappings.push([m[1], m[2]]);
    }
  }
  const findImports = (p) => {
    const candidates = [];
    for (const [from, to] of remappings) if (p.startsWith(from)) candidates.push(to + p.slice(from.length));
    candidates.push(p, `node_modules/${p}`);
    for (const c of candidates) {
      const abs = path.resolve(ROOT, c);
      if (fs.existsSync(abs)) return { contents: fs.readFileSync(abs, "utf8") };
    }
    return { error: `not found: ${p}` };
  };
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(files.map((f) => [f, { content: contents.get(f) }])),
    settings: { stopAfter: "parsing", remappings: remappings.map(([a, b]) => `${a}=${b}`), outputSelection: { "*": { "": ["ast"] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length) fail(`solc could not parse:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const found = new Map();
  for (const f of files) {
    const ast = out.sources?.[f]?.ast;
    if (!ast) fail(`solc returned no AST for ${f}`);
    found.set(f, ast);
  }
  return found;
}

// ---------------------------------------------------------------- AST helpers

function lineIndex(content) {
  const buf = Buffer.from(content, "utf8");
  const starts = [0];
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0x0a) starts.push(i + 1);
  return (byteOffset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= byteOffset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

const span = (node) => {
  const [s, l] = node.src.split(":").map(Number);
  return { start: s, end: s + Math.max(l, 1) - 1 };
};

const STATEMENTS = new Set([
  "Block",
  "UncheckedBlock",
  "IfStatement",
  "ForStatement",
  "WhileStatement",
  "DoWhileStatement",
  "Continue",
  "Break",
  "Return",
  "Throw",
  "RevertStatement",
  "EmitStatement",
  "ExpressionStatement",
  "VariableDeclarationStatement",
  "TryStatement",
  "InlineAssembly",
  "PlaceholderStatement",
]);
const LOOPS = new Set(["ForStatement", "WhileStatement", "DoWhileStatement"]);

function children(node) {
  const out = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === "parent") continue;
    if (Array.isArray(v)) {
      for (const x of v) if (x && typeof x === "object" && x.nodeType) out.push(x);
    } else if (v && typeof v === "object" && v.nodeType) out.push(v);
  }
  return out;
}

function walk(node, visit, parent = null) {
  Object.defineProperty(node, "parent", { value: parent, enumerable: false, configurable: true, writable: true });
  visit(node);
  for (const c of children(node)) walk(c, visit, node);
}

function calleeName(call) {
  const e = call.expression;
  if (!e) return null;
  if (e.nodeType === "Identifier") return e.name;
  if (e.nodeType === "MemberAccess") return e.memberName;
  return null;
}

/** Whether executing `stmt` never falls through to the next statement. */
function makeLeaves(functionsByName) {
  const reverting = new Map(); // function name → bool (memo); in progress = false (no recursion proofs)
  function functionAlwaysReverts(name) {
    if (reverting.has(name)) return reverting.get(name);
    reverting.set(name, false);
    const defs = functionsByName.get(name) ?? [];
    const result = defs.length > 0 && defs.every((d) => d.body && leaves(d.body, { revertOnly: true, inLoop: false }));
    reverting.set(name, result);
    return result;
  }
  function callLeaves(call) {
    if (call?.nodeType !== "FunctionCall") return false;
    const name = calleeName(call);
    if (!name) return false;
    if (name === "revert" && call.expression.nodeType === "Identifier") return true;
    if ((name === "require" || name === "assert") && call.expression.nodeType === "Identifier") {
      const cond = call.arguments?.[0];
      return cond?.nodeType === "Literal" && cond.value === "false";
    }
    if (/^_revert/i.test(name)) return true;
    return functionAlwaysReverts(name);
  }
  function leaves(stmt, ctx = { revertOnly: false, inLoop: false }) {
    if (!stmt) return false;
    switch (stmt.nodeType) {
      case "RevertStatement":
      case "Throw":
        return true;
      case "Return":
        return !ctx.revertOnly;
      case "Break":
      case "Continue":
        return !ctx.revertOnly && !ctx.inLoop;
      case "ExpressionStatement":
        return callLeaves(stmt.expression);
      case "Block":
      case "UncheckedBlock":
        return (stmt.statements ?? []).some((s) => leaves(s, ctx));
      case "IfStatement":
        return !!stmt.falseBody && leaves(stmt.trueBody, ctx) && leaves(stmt.falseBody, ctx);
      case "TryStatement":
        return (stmt.clauses ?? []).every((c) => leaves(c.block, ctx));
      case "DoWhileStatement":
        return leaves(stmt.body, { ...ctx, inLoop: true });
      default:
        return false;
    }
  }
  return (stmt) => leaves(stmt);
}

/** The statements after `stmt` in its enclosing block (empty when it is not directly in a block). */
function laterInBlock(stmt) {
  const p = stmt.parent;
  if (!p || (p.nodeType !== "Block" && p.nodeType !== "UncheckedBlock")) return [];
  const i = p.statements.indexOf(stmt);
  return i >= 0 ? p.statements.slice(i + 1) : [];
}

// ---------------------------------------------------------------- analysis

function analyseFile(file, ast, content, hits, leaves) {
  const lineOf = lineIndex(content);
  const da = (line) => hits?.get(line) ?? 0;
  const startLine = (n) => lineOf(span(n).start);
  const endLine = (n) => lineOf(span(n).end);

  /** Lines inside `body` where a statement (not a bare block) starts. */
  const statementLines = (body) => {
    const lines = new Set();
    const visit = (n) => {
      if (STATEMENTS.has(n.nodeType) && n.nodeType !== "Block") lines.add(startLine(n));
      for (const c of children(n)) visit(c);
    };
    visit(body);
    return [...lines].sort((a, b) => a - b);
  };
  const bodyCovered = (body) => {
    const lines = statementLines(body);
    const hit = lines.find((l) => da(l) > 0);
    return hit !== undefined
      ? { status: "covered", why: `body statement on line ${hit} executed` }
      : { status: "uncovered", why: `no statement line of the body executed (lines ${lines.join(", ") || "none"})` };
  };
  /** Side proven by reaching a later statement of the same block (after a leaving `if` or a `require`):
   *  statements of a block run in order, so one that ran proves `node` was passed through. */
  const byLater = (node, what) => {
    const later = laterInBlock(node).filter((s) => startLine(s) > endLine(node));
    if (later.length === 0) return { status: "undeterminable", why: `${what}; no later statement in the block (on a later line) to prove it` };
    const hit = later.find((s) => da(startLine(s)) > 0);
    return hit
      ? { status: "covered", why: `${what}; later statement on line ${startLine(hit)} executed` }
      : { status: "uncovered", why: `${what}; no later statement of the block executed (lines ${later.map(startLine).join(", ")})` };
  };

  const sides = [];
  const add = (node, kind, side, result) => sides.push({ file, line: startLine(node), kind, side, ...result });

  const visit = (n) => {
    if (n.nodeType === "IfStatement") {
      add(n, "if", "true", bodyCovered(n.trueBody));
      if (n.falseBody) add(n, "if", "false", bodyCovered(n.falseBody));
      else if (leaves(n.trueBody)) add(n, "if", "false", byLater(n, "no else, the true body always leaves"));
      else add(n, "if", "false", { status: "undeterminable", why: "no else and the true body may fall through" });
    } else if (n.nodeType === "Conditional") {
      const why = "ternary: line data cannot tell its sides apart";
      add(n, "ternary", "true", { status: "undeterminable", why });
      add(n, "ternary", "false", { status: "undeterminable", why });
    } else if (
      n.nodeType === "FunctionCall" &&
      n.expression?.nodeType === "Identifier" &&
      (n.expression.name === "require" || n.expression.name === "assert")
    ) {
      const kind = n.expression.name;
      const stmt = n.parent?.nodeType === "ExpressionStatement" ? n.parent : null;
      add(n, kind, "pass", stmt ? byLater(stmt, `${kind} passes`) : { status: "undeterminable", why: `${kind} inside an expression` });
      add(n, kind, "fail", { status: "undeterminable", why: `${kind} fails: not visible in line data` });
    }
    for (const c of children(n)) visit(c);
  };
  visit(ast);
  return sides;
}

// ---------------------------------------------------------------- main

function pct(a, b) {
  return b === 0 ? 100 : (100 * a) / b;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const lcov = readLcov(opts.lcov);
  const lcovTime = fs.statSync(path.resolve(ROOT, opts.lcov)).mtimeMs;

  const files = listContracts(CONTRACTS_DIR);
  for (const f of lcov.keys()) if (isCounted(f) && !files.includes(f)) fail(`${f} is in ${opts.lcov} but not on disk`);
  const contents = new Map(files.map((f) => [f, fs.readFileSync(path.join(ROOT, f), "utf8")]));
  const newer = files.filter((f) => fs.statSync(path.join(ROOT, f)).mtimeMs > lcovTime);
  if (newer.length) console.warn(`branch-coverage: warning: changed after ${opts.lcov} was written, line data may be stale: ${newer.join(", ")}`);

  const asts = astsFromBuildInfo(files, contents);
  const missing = files.filter((f) => !asts.has(f));
  const astSource = missing.length === 0 ? "build-info" : asts.size === 0 ? "solc (parsing)" : "build-info + solc (parsing)";
  if (missing.length) for (const [f, a] of astsFromSolc(missing, contents)) asts.set(f, a);

  // Project functions by name, for "calls a function that always reverts".
  const functionsByName = new Map();
  for (const ast of asts.values()) {
    walk(ast, (n) => {
      if (n.nodeType === "FunctionDefinition" && n.name) {
        if (!functionsByName.has(n.name)) functionsByName.set(n.name, []);
        functionsByName.get(n.name).push(n);
      }
    });
  }
  const leaves = makeLeaves(functionsByName);

  const rows = [];
  const all = [];
  for (const f of files) {
    const hits = lcov.get(f);
    const sides = analyseFile(f, asts.get(f), contents.get(f), hits, leaves);
    all.push(...sides);
    const daLines = hits ? [...hits.values()] : [];
    rows.push({
      file: f,
      branches: sides.length,
      covered: sides.filter((s) => s.status === "covered").length,
      undeterminable: sides.filter((s) => s.status === "undeterminable").length,
      lines: daLines.length,
      linesHit: daLines.filter((h) => h > 0).length,
      inLcov: !!hits,
    });
  }

  const sum = (k) => rows.reduce((a, r) => a + r[k], 0);
  const total = { branches: sum("branches"), covered: sum("covered"), undeterminable: sum("undeterminable"), lines: sum("lines"), linesHit: sum("linesHit") };
  const branchPct = pct(total.covered, total.branches);
  // The share the line data can decide: sides that could be shown covered or not, and how many were.
  const decidablePct = pct(total.covered, total.branches - total.undeterminable);
  const linePct = pct(total.linesHit, total.lines);

  const w = Math.max(...rows.map((r) => r.file.length), 5);
  const fmt = (r) =>
    `${r.file.padEnd(w)}  ${String(r.branches).padStart(8)}  ${String(r.covered).padStart(7)}  ${String(r.undeterminable).padStart(6)}  ${pct(r.covered, r.branches).toFixed(2).padStart(7)}  ${`${r.linesHit}/${r.lines}`.padStart(9)}  ${pct(r.linesHit, r.lines).toFixed(2).padStart(7)}`;
  console.log(`\nBranch coverage (lower bound) of ${CONTRACTS_DIR}/ without ${EXCLUDED_DIR}: AST from ${astSource}, lines from ${opts.lcov}`);
  console.log(`${"file".padEnd(w)}  branches  covered  undet.  branch%      lines    line%`);
  for (const r of rows) console.log(fmt(r) + (r.inLcov || r.lines ? "" : "  (not in lcov)"));
  console.log(fmt({ file: "total", ...total }));
  console.log(
    `\nBranches: ${total.covered}/${total.branches} covered = ${branchPct.toFixed(2)} % (lower bound); ` +
      `${total.undeterminable} undeterminable from line data, counted as uncovered; ` +
      `${total.branches - total.covered - total.undeterminable} not proven covered. ` +
      `Highest bound line data can prove on this code: ${pct(total.branches - total.undeterminable, total.branches).toFixed(2)} %.`,
  );
  console.log(`Decidable branch sides: ${total.covered}/${total.branches - total.undeterminable} covered = ${decidablePct.toFixed(2)} %.`);
  console.log(`Lines: ${total.linesHit}/${total.lines} = ${linePct.toFixed(2)} % (lcov, ${CONTRACTS_DIR}/ without ${EXCLUDED_DIR})`);

  if (!opts.quiet) {
    const open = all.filter((s) => s.status !== "covered");
    const titles = { covered: "Covered", uncovered: "Not proven covered", undeterminable: "Undeterminable" };
    for (const status of [...(opts.all ? ["covered"] : []), "uncovered", "undeterminable"]) {
      const list = (status === "covered" ? all : open).filter((s) => s.status === status);
      if (!list.length) continue;
      console.log(`\n${titles[status]} (${list.length}):`);
      for (const s of list) console.log(`  ${s.file}:${s.line}  ${s.kind} ${s.side}  — ${s.why}`);
    }
  }

  let ok = true;
  if (opts.min !== null && branchPct < opts.min) {
    console.error(`\nFAIL: branch coverage ${branchPct.toFixed(2)} % (lower bound) is below ${opts.min} %`);
    ok = false;
  }
  if (opts.minDecidable !== null && decidablePct < opts.minDecidable) {
    console.error(`\nFAIL: decidable branch sides ${decidablePct.toFixed(2)} % covered, below ${opts.minDecidable} %`);
    ok = false;
  }
  if (opts.minLines !== null && linePct < opts.minLines) {
    console.error(`\nFAIL: line coverage ${linePct.toFixed(2)} % is below ${opts.minLines} %`);
    ok = false;
  }
  if (ok && (opts.min !== null || opts.minDecidable !== null || opts.minLines !== null)) {
    console.log(`\nOK: branch lower bound ≥ ${opts.min ?? "-"} %, decidable branch sides ≥ ${opts.minDecidable ?? "-"} %, lines ≥ ${opts.minLines ?? "-"} %`);
  }
  process.exit(ok ? 0 : 1);
}

main();
