// `npm run keeper -- --network <name> [--port 9464] [--dry-run] [--once] [--gas-cap 10000000]
//   [--interval <s>] [--pool <address>] [--deployment <file>] [--state-dir <dir>] [--tx-timeout-ms <ms>] [--no-compile]`
// Hardhat's `run` takes no script arguments: this wrapper passes them in KEEPER_OPTIONS and runs
// keeper/main.ts inside Hardhat (network config, keystore, artifacts). Signals reach the keeper, which
// stops after the call in flight.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opts = {};
let networkName = "localhost";
let compile = true;
const numeric = new Set(["port", "interval", "txTimeoutMs"]);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const key = a.replace(/^--/, "").replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  if (a === "--network") networkName = args[++i];
  else if (a === "--dry-run" || a === "--once") opts[key] = true;
  else if (a === "--no-compile") compile = false;
  else if (["--port", "--gas-cap", "--interval", "--pool", "--deployment", "--state-dir", "--tx-timeout-ms"].includes(a)) {
    const v = args[++i];
    if (v === undefined) throw new Error(`${a} needs a value`);
    opts[key] = numeric.has(key) ? Number(v) : v;
  } else if (a === "--help" || a === "-h") {
    console.log(readme());
    process.exit(0);
  } else {
    console.error(`unknown option ${a}\n${readme()}`);
    process.exit(2);
  }
}

function readme() {
  return "usage: npm run keeper -- --network <name> [--port 9464] [--dry-run] [--once] [--gas-cap <gas>] [--interval <s>] [--pool <address>] [--deployment <file>] [--state-dir <dir>] [--tx-timeout-ms <ms>] [--no-compile]";
}

const hardhat = join(root, "node_modules", "hardhat", "dist", "src", "cli.js");
const child = spawn(process.execPath, [hardhat, "run", ...(compile ? [] : ["--no-compile"]), "keeper/main.ts", "--network", networkName], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, KEEPER_OPTIONS: JSON.stringify(opts) },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
