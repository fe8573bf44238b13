#!/usr/bin/env node
// `npm run coverage:branches`: line and branch coverage of contracts/ (without contracts/testing/) measured
// by forge, which runs the project's *.t.sol unchanged (foundry.toml).
//
// Usage: node scripts/forge-coverage.mjs [--min-lines <%>] [--min-branches <%>] [--lcov <forge lcov>]
//          [--hardhat-lcov <path> | --no-hardhat] [--quiet]
//   --lcov          read this forge lcov instead of running forge (default: run forge, which writes
//                   coverage/forge/lcov.info)
//   --hardhat-lcov  Hardhat's lcov (default coverage/lcov.info, written by `npm run coverage`, when present)
//   --quiet         no list of uncovered lines and branches
// Environment: FORGE=<path of a forge binary> instead of `npx -y -p @foundry-rs/forge@1.7.1 forge`.
// Exit code 1 when a threshold is not met or forge fails, 2 on bad arguments or missing input.
//
// WHY forge: Hardhat 3's coverage reports lines only (no branch records); forge's lcov has BRDA records.
// How forge counts branches: an `if` without `else` is one branch (its body), `if/else` two, each Yul `if`
// one; ternaries, `&&`/`||` and try/catch are not counted.
//
// Contracts that only the TypeScript tests (node:test, test/ts/) exercise show 0 % in forge, which runs
// Solidity tests only. DECISION: they are reported separately, not merged line by line. A file in which
// forge's run executed no line at all is "TypeScript only": its line figure comes from Hardhat's lcov when
// one is present (both tools' data are never mixed within one file, since they define executable lines
// differently), and its branches are listed as not measured and left out of the branch total (Hardhat has
// no branch data to put in their place). A second branch figure that counts them as uncovered is printed
// too. Without Hardhat's lcov such a file keeps forge's 0 % lines, so the line threshold still sees it.
// Files that Solidity tests reach keep forge's figures even where TypeScript tests reach more of them.
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseFlags } from "./lib/flags.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FORGE_PACKAGE = "@foundry-rs/forge@1.7.1";
const FORGE_LCOV = "coverage/forge/lcov.info";
const HARDHAT_LCOV = "coverage/lcov.info";
const counted = (f) => f.startsWith("contracts/") && !f.startsWith("contracts/testing/");

function fail(message, code = 2) {
  console.error(`forge-coverage: ${message}`);
  process.exit(code);
}

function parseArgs(argv) {
  return parseFlags(argv, {
    defaults: { minLines: null, minBranches: null, lcov: null, hardhatLcov: undefined, quiet: false },
    spec: {
      "--min-lines": { key: "minLines", kind: "number" },
      "--min-branches": { key: "minBranches", kind: "number" },
      "--lcov": { key: "lcov", kind: "string" },
      "--hardhat-lcov": { key: "hardhatLcov", kind: "string" },
      "--no-hardhat": { key: "hardhatLcov", kind: "set", value: null },
      "--quiet": { key: "quiet", kind: "set" },
    },
    usage: "node scripts/forge-coverage.mjs [--min-lines <%>] [--min-branches <%>] [--lcov <forge lcov>] [--hardhat-lcov <path> | --no-hardhat] [--quiet]",
    fail,
  });
}

/** lcov → Map(file → { lines: Map(line → hits), branches: [{ line, id, taken }] }), paths relative to ROOT. */
function readLcov(file) {
  const abs = path.resolve(ROOT, file);
  if (!fs.existsSync(abs)) fail(`${file} does not exist`);
  const files = new Map();
  let cur = null;
  for (const raw of fs.readFileSync(abs, "utf8").split(/\r?\n/)) {
    const l = raw.trim();
    if (l.startsWith("SF:")) {
      const f = path.relative(ROOT, path.resolve(ROOT, l.slice(3))).split(path.sep).join("/");
      cur = files.get(f) ?? { lines: new Map(), branches: [] };
      files.set(f, cur);
    } else if (l === "end_of_record") cur = null;
    else if (cur && l.startsWith("DA:")) {
      const [line, hits] = l.slice(3).split(",");
      cur.lines.set(Number(line), Math.max(cur.lines.get(Number(line)) ?? 0, Number(hits)));
    } else if (cur && l.startsWith("BRDA:")) {
      // BRDA:<line>,<block>,<branch>,<taken or "-" when the block never ran>
      const [line, block, branch, taken] = l.slice(5).split(",");
      cur.branches.push({ line: Number(line), id: `${block}.${branch}`, taken: taken === "-" ? 0 : Number(taken) });
    }
  }
  return files;
}

function runForge() {
  fs.mkdirSync(path.join(ROOT, path.dirname(FORGE_LCOV)), { recursive: true });
  const [cmd, ...pre] = process.env.FORGE ? [process.env.FORGE] : ["npx", "-y", "-p", FORGE_PACKAGE, "forge"];
  // PlanningGas asserts gas limits, which coverage's instrumentation inflates; npm test runs it uninstrumented.
  const args = [...pre, "coverage", "--report", "lcov", "--report", "summary", "--report-file", FORGE_LCOV, "--no-match-contract", "PlanningGas"];
  console.log(`forge-coverage: ${cmd} ${args.join(" ")}`);
  // From the root: foundry.toml names the solc wrapper by a path relative to the working directory.
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`, 1);
  if (r.status !== 0) fail(`forge coverage exited with ${r.status ?? r.signal}`, 1);
  return FORGE_LCOV;
}

const pct = (hit, all) => (all === 0 ? 100 : (100 * hit) / all);
const ratio = (hit, all) => `${hit}/${all}`.padStart(9) + `  ${pct(hit, all).toFixed(2).padStart(6)} %`;

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const forgeLcovPath = opts.lcov ?? runForge();
  const forge = readLcov(forgeLcovPath);
  const hardhatPath = opts.hardhatLcov === undefined ? (fs.existsSync(path.join(ROOT, HARDHAT_LCOV)) ? HARDHAT_LCOV : null) : opts.hardhatLcov;
  const hardhat = hardhatPath ? readLcov(hardhatPath) : new Map();

  const files = [...forge.keys()].filter(counted).sort();
  if (files.length === 0) fail(`${forgeLcovPath} has no file under contracts/ (outside contracts/testing/)`);
  for (const [name, p] of [["forge", forgeLcovPath], ["Hardhat", hardhatPath]]) {
    if (!p) continue;
    const written = fs.statSync(path.resolve(ROOT, p)).mtimeMs;
    const newer = files.filter((f) => fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).mtimeMs > written);
    if (newer.length) console.warn(`forge-coverage: warning: changed after ${name}'s ${p} was written, figures may be stale: ${newer.join(", ")}`);
  }

  const rows = files.map((file) => {
    const f = forge.get(file);
    const forgeHit = [...f.lines.values()].filter((h) => h > 0).length;
    const tsOnly = f.lines.size > 0 && forgeHit === 0;
    const h = tsOnly ? hardhat.get(file) : undefined;
    const lines = h ? h.lines : f.lines;
    return {
      file,
      tsOnly,
      lineSource: h ? "hardhat" : "forge",
      lines: lines.size,
      linesHit: [...lines.values()].filter((x) => x > 0).length,
      missedLines: [...lines].filter(([, x]) => x === 0).map(([l]) => l).sort((a, b) => a - b),
      branches: f.branches.length,
      branchesHit: f.branches.filter((b) => b.taken > 0).length,
      missedBranches: f.branches.filter((b) => b.taken === 0),
    };
  });

  const measured = rows.filter((r) => !r.tsOnly);
  const tsOnly = rows.filter((r) => r.tsOnly);
  const sum = (rs, k) => rs.reduce((a, r) => a + r[k], 0);
  const total = { lines: sum(rows, "lines"), linesHit: sum(rows, "linesHit"), branches: sum(measured, "branches"), branchesHit: sum(measured, "branchesHit") };
  const allBranches = sum(rows, "branches");
  const linePct = pct(total.linesHit, total.lines);
  const branchPct = pct(total.branchesHit, total.branches);

  const w = Math.max(...rows.map((r) => r.file.length), 5);
  console.log(`\nCoverage of contracts/ without contracts/testing/: forge (${forgeLcovPath})${hardhatPath ? `, Hardhat lines for TypeScript-only files (${hardhatPath})` : ""}`);
  console.log(`${"file".padEnd(w)}  ${"lines".padStart(19)}  ${"branches".padStart(19)}  note`);
  for (const r of rows) {
    const note = !r.tsOnly
      ? ""
      : r.lineSource === "hardhat"
        ? "TypeScript tests only: lines from Hardhat, branches not measured"
        : `no Solidity test reaches it: forge's 0 % lines${hardhatPath ? ` (not in ${hardhatPath})` : " (run `npm run coverage` first for Hardhat's lines)"}, branches not measured`;
    const branches = r.tsOnly ? `n/a (${r.branches})`.padStart(19) : ratio(r.branchesHit, r.branches);
    console.log(`${r.file.padEnd(w)}  ${ratio(r.linesHit, r.lines)}  ${branches}  ${note}`);
  }
  console.log(`${"total".padEnd(w)}  ${ratio(total.linesHit, total.lines)}  ${ratio(total.branchesHit, total.branches)}`);
  console.log(`\nLines: ${total.linesHit}/${total.lines} = ${linePct.toFixed(2)} %.`);
  console.log(`Branches: ${total.branchesHit}/${total.branches} = ${branchPct.toFixed(2)} % of the files Solidity tests reach.`);
  if (tsOnly.length) {
    console.log(
      `Not measured (TypeScript tests only): ${tsOnly.map((r) => `${r.file} (${r.branches} branches)`).join(", ")}; ` +
        `counting their branches as uncovered: ${total.branchesHit}/${allBranches} = ${pct(total.branchesHit, allBranches).toFixed(2)} %.`,
    );
  }

  if (!opts.quiet) {
    // A file no Solidity test reaches is named in the table already; listing all its lines says nothing more.
    const open = rows.filter((r) => !(r.tsOnly && r.lineSource === "forge") && (r.missedLines.length || (!r.tsOnly && r.missedBranches.length)));
    if (open.length) console.log("\nNot covered:");
    for (const r of open) {
      if (r.missedLines.length) console.log(`  ${r.file}: line${r.missedLines.length > 1 ? "s" : ""} ${r.missedLines.join(", ")}${r.lineSource === "hardhat" ? " (Hardhat)" : ""}`);
      if (!r.tsOnly && r.missedBranches.length) console.log(`  ${r.file}: branch${r.missedBranches.length > 1 ? "es" : ""} at line ${r.missedBranches.map((b) => `${b.line} (${b.id})`).join(", ")}`);
    }
  }

  let ok = true;
  if (opts.minLines !== null && linePct < opts.minLines) {
    console.error(`\nFAIL: line coverage ${linePct.toFixed(2)} % is below ${opts.minLines} %`);
    ok = false;
  }
  if (opts.minBranches !== null && branchPct < opts.minBranches) {
    console.error(`\nFAIL: branch coverage ${branchPct.toFixed(2)} % is below ${opts.minBranches} %`);
    ok = false;
  }
  if (ok && (opts.minLines !== null || opts.minBranches !== null)) console.log(`\nOK: lines ≥ ${opts.minLines ?? "-"} %, branches ≥ ${opts.minBranches ?? "-"} %`);
  process.exit(ok ? 0 : 1);
}

main();
