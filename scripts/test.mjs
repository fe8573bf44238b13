// `npm test`: runs every test suite in turn and ends with one plain line `N passed, N failed`
// that counts every test that ran. A suite that crashes before reporting counts as one failure.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

const stages = [
  { name: "contracts (Solidity tests)", cmd: ["npx", "hardhat", "test", "solidity"] },
  { name: "contracts and deployment (TypeScript tests)", cmd: ["npx", "hardhat", "test", "nodejs"] },
  // The indexer against a devnet of its own, on PGlite and on a PostgreSQL server it starts (node:test).
  { name: "indexer (PGlite and PostgreSQL)", cmd: [process.execPath, "--test", "--test-reporter=spec", "indexer/test/*.test.ts"], nodeTest: true },
];
if (existsSync("e2e/playwright.config.ts") && !process.argv.includes("--no-e2e")) {
  stages.push({ name: "browser journeys (Playwright)", cmd: ["npx", "playwright", "test", "-c", "e2e/playwright.config.ts"], playwright: true });
  // The names journey again on a devnet started as Opera (FTM / stFTM / wstFTM): its own devnet and build.
  stages.push({ name: "browser journeys on an Opera devnet (Playwright)", cmd: ["npx", "playwright", "test", "-c", "e2e/playwright.config.ts"], env: { E2E_DEVNET_CHAIN: "opera" }, playwright: true });
}

const STAGE_MINUTES = Number(process.env.TEST_STAGE_MINUTES ?? 25);
const strip = (s) => s.replace(/\u001b\[[0-9;]*m/g, "");

function run(stage) {
  return new Promise((resolve) => {
    console.log(`\n=== ${stage.name}: ${stage.cmd.join(" ")}`);
    const child = spawn(stage.cmd[0], stage.cmd.slice(1), { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...stage.env }, detached: true });
    // A suite that hangs (a server or timer a failed test left open) is ended and counted as failed.
    const limit = setTimeout(() => {
      console.log(`\n=== ${stage.name}: still running after ${STAGE_MINUTES} minutes, stopped`);
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, STAGE_MINUTES * 60_000);
    let out = "";
    const tee = (stream, sink) =>
      stream.on("data", (d) => {
        out += d.toString();
        sink.write(d);
      });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on("close", (code) => {
      clearTimeout(limit);
      resolve({ code: code ?? 1, out: strip(out) });
    });
  });
}

function counts(out, playwright, nodeTest) {
  let passed = 0;
  let failed = 0;
  if (nodeTest) {
    for (const m of out.matchAll(/^ℹ pass (\d+)$/gm)) passed += Number(m[1]);
    for (const m of out.matchAll(/^ℹ (?:fail|cancelled) (\d+)$/gm)) failed += Number(m[1]);
  } else if (playwright) {
    for (const m of out.matchAll(/^\s*(\d+) passed\b/gm)) passed += Number(m[1]);
    for (const m of out.matchAll(/^\s*(\d+) failed\b/gm)) failed += Number(m[1]);
    for (const m of out.matchAll(/^\s*(\d+) flaky\b/gm)) failed += Number(m[1]);
  } else {
    for (const m of out.matchAll(/^\s*(\d+) passing\b/gm)) passed += Number(m[1]);
    for (const m of out.matchAll(/^\s*(\d+) failing\b/gm)) failed += Number(m[1]);
  }
  return { passed, failed };
}

let passed = 0;
let failed = 0;
for (const stage of stages) {
  const { code, out } = await run(stage);
  const c = counts(out, stage.playwright, stage.nodeTest);
  if (code !== 0 && c.failed === 0) c.failed = 1; // crashed, or failed outside a test
  passed += c.passed;
  failed += c.failed;
  console.log(`=== ${stage.name}: ${c.passed} passed, ${c.failed} failed (exit ${code})`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
