// `npm run bench`: runs every benchmark part, merges their figures into bench/results.json and writes
// bench/RESULTS.md. Not part of `npm test`.
//   1. gas per operation with baselines      npx hardhat run bench/gas.ts      → bench/.out/gas.json
//   2. keeper round scaling                   npx hardhat run bench/process.ts  → bench/.out/process.json
//   3. unbonding simulation (one year)        npx hardhat run bench/sim.ts      → bench/.out/sim.json
//   4. app bundle and proposals page timing   node bench/app.mjs                → bench/.out/app.json
//   5. indexer catch-up on a devnet           node bench/indexer.ts             → bench/.out/indexer.json
// Parts 1–3 run on in-process Hardhat networks (each its own chain); 3 runs alongside 1 and 2 (two cores),
// and the app part runs last, alone, so that its timings do not compete with the simulation for the CPU.
// Exits non-zero when a part is missing or failed; the results of the other parts are still written.
import { spawn, execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { eachLine } from "../scripts/lib/lines.mjs";
import { checkTargets, keeperYear, render } from "./report.mjs";

const started = Date.now();
const OUT = "bench/.out";
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const parts = {};
const seconds = (t) => Math.round((Date.now() - t) / 100) / 10;

/** Runs a command, prefixing its output lines with the part's name (when `quiet`, only if it fails). */
function run(name, cmd, args, quiet = false) {
  return new Promise((resolve) => {
    const t = Date.now();
    console.log(`[bench] ${name}: ${cmd} ${args.join(" ")}`);
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    const tail = [];
    const pipe = (stream, sink) => eachLine(stream, (line) => {
      if (/^npm warn Unknown (user|env) config/.test(line)) return;
      if (!quiet) sink.write(`[${name}] ${line}\n`);
      tail.push(line);
      if (tail.length > 60) tail.shift();
    });
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on("close", (code) => {
      if (quiet && code !== 0) for (const line of tail) process.stderr.write(`[${name}] ${line}\n`);
      resolve({ code: code ?? 1, seconds: seconds(t), tail });
    });
  });
}

/** The first line of the output that names an error, to say why a part failed. */
function errorLine(tail) {
  const line = tail.find((l) => /error/i.test(l) && l.trim().length > 5);
  return line ? `: ${line.trim().slice(0, 200)}` : "";
}

async function part(name, cmd, args, file, quiet = false) {
  const r = await run(name, cmd, args, quiet);
  const produced = file ? existsSync(file) : true;
  parts[name] = {
    ok: r.code === 0 && produced,
    seconds: r.seconds,
    ...(r.code !== 0 ? { reason: `exited with code ${r.code}${errorLine(r.tail)}` } : !produced ? { reason: `${file} was not written` } : {}),
  };
  return parts[name].ok;
}

const hardhat = (script) => part(script.replace(/^bench\/|\.ts$/g, ""), "npx", ["hardhat", "run", "--no-compile", script], `${OUT}/${script.replace(/^bench\/|\.ts$/g, "")}.json`);

// Compile once (a fresh clone has no artifacts), then the contract parts.
if (await part("build", "npx", ["hardhat", "build"], undefined, true)) {
  await Promise.all([(async () => (await hardhat("bench/gas.ts"), await hardhat("bench/process.ts")))(), hardhat("bench/sim.ts")]);
} else {
  for (const p of ["gas", "process", "sim"]) parts[p] = { ok: false, seconds: 0, reason: "compilation failed" };
}
if (existsSync("bench/app.mjs")) await part("app", process.execPath, ["bench/app.mjs"], `${OUT}/app.json`);
else parts.app = { ok: false, seconds: 0, reason: "bench/app.mjs is not present" };
// Alone as well: the indexer's rate depends on the CPU it gets.
await part("indexer", process.execPath, ["bench/indexer.ts"], `${OUT}/indexer.json`);

// Merge the partial results: plain objects merge key by key; every part's `meta` goes under `meta`.
function merge(into, from) {
  for (const [k, v] of Object.entries(from)) {
    if (v && typeof v === "object" && !Array.isArray(v) && into[k] && typeof into[k] === "object") merge(into[k], v);
    else into[k] = v;
  }
  return into;
}
const results = {};
for (const p of ["gas", "process", "sim", "app", "indexer"]) {
  const file = `${OUT}/${p}.json`;
  // Only what a part that succeeded in this run wrote.
  if (!parts[p]?.ok || !existsSync(file)) continue;
  try {
    merge(results, JSON.parse(readFileSync(file, "utf8")));
  } catch (e) {
    parts[p] = { ...parts[p], ok: false, reason: `${file} is not valid JSON (${e.message})` };
  }
}
const git = (c) => {
  try {
    return execSync(`git ${c}`, { stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  } catch {
    return "";
  }
};
results.meta = {
  ...(results.meta ?? {}),
  run: {
    date: new Date().toISOString(),
    commit: git("rev-parse --short HEAD") || "unknown",
    cores: os.cpus().length,
    node: process.version,
    seconds: seconds(started),
    parts,
  },
};
const ordered = Object.fromEntries(["gas", "process", "sim", "app", "indexer", "meta"].filter((k) => k in results).map((k) => [k, results[k]]));
writeFileSync("bench/results.json", JSON.stringify(ordered, null, 2) + "\n");
writeFileSync("bench/RESULTS.md", render(results));

// Summary.
console.log("\n[bench] ==== summary ====");
for (const [name, p] of Object.entries(parts)) console.log(`[bench] ${name.padEnd(8)} ${p.ok ? "ok     " : "FAILED "} ${String(p.seconds).padStart(6)} s${p.reason ? `  (${p.reason})` : ""}`);
const g = results.gas;
if (g) console.log(`[bench] gas: stake ${g.stake}, repeat ${g.stakeRepeat}, stFTM transfer ${g.transfer} (ERC20 ${g.baselineERC20Transfer}), ERC20Votes transfer ${g.baselineERC20VotesTransfer}, SFC.delegate ${g.baselineSfcDelegate}`);
if (results.process) {
  for (const [n, r] of Object.entries(results.process.rounds)) {
    const steps = r.callsUnder10M === 1 && r.maxStepsUnder10M >= r.steps ? "unbounded" : r.maxStepsUnder10M;
    console.log(`[bench] process ${n.padStart(3)} validators: round ${r.gasPerRound} gas in one call; ${r.callsUnder10M ?? "no"} call(s) under 10M${steps ? ` at maxSteps ${steps}` : ""}`);
  }
}
for (const k of ["pool", "naive", "naiveNetted"]) {
  const s = results.sim?.[k];
  if (s) console.log(`[bench] sim ${k.padEnd(11)} unbonded ${Math.round(s.unbondedFTM)} FTM, not earning ${s.ftmDaysNotEarning} FTM-days, drift mean ${s.meanDriftBps} / max ${s.maxDriftBps} bps, rewards ${s.rewardsFTM} FTM`);
}
const k = keeperYear(results);
if (k) console.log(`[bench] keeper gas per year (simulation, ${k.validators} validators): ${k.gasPerYear} in ${k.calls} calls; part 2's round at that size × ${k.days}: ${k.sameSize?.perYear ?? "—"}`);
if (results.app) console.log(`[bench] app: ${JSON.stringify(results.app)}`);
if (results.indexer) console.log(`[bench] indexer: ${results.indexer.eventsPerSecond} events/s catching up (${results.indexer.events} events in ${results.indexer.catchUpSeconds} s; plain eth_getLogs ${results.indexer.baselineGetLogsSeconds} s)`);
for (const t of checkTargets(results)) console.log(`[bench] target ${t.met ? "met   " : "MISSED"} ${t.name}: ${t.measured} (${t.margin})`);
console.log(`[bench] wrote bench/results.json and bench/RESULTS.md in ${seconds(started)} s`);
const failed = Object.entries(parts).filter(([, p]) => !p.ok);
if (failed.length) {
  console.error(`[bench] missing or failed: ${failed.map(([n]) => n).join(", ")}`);
  process.exit(1);
}
