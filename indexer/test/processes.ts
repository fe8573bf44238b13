// The servers the indexer's tests start and stop: a Hardhat node seeded like the devnet, a PostgreSQL
// server in a temporary directory, and the indexer itself (Ponder, from node_modules/.bin: one process).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function started(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, log: string[]) {
  const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const keep = (d: Buffer) => {
    log.push(...d.toString().split("\n").filter(Boolean).map((l) => `[${name}] ${l}`));
    if (log.length > 400) log.splice(0, log.length - 400);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return child;
}

async function stopGroup(child: ChildProcess, signal: NodeJS.Signals, timeoutMs = 20_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return;
  }
  const done = await Promise.race([exited.then(() => true), sleep(timeoutMs).then(() => false)]);
  if (!done) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
    await exited;
  }
}

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function rpcAnswers(url: string) {
  try {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
    return res.ok;
  } catch {
    return false;
  }
}

/** A Hardhat node on `port`, seeded by scripts/devnet/seed.ts with its record in `dir`/localhost.json. */
export async function startDevnet(port: number, dir: string) {
  const url = `http://127.0.0.1:${port}`;
  if (await rpcAnswers(url)) throw new Error(`port ${port} is taken: set INDEXER_TEST_RPC_PORT to a free port`);
  const log: string[] = [];
  const node = started("node", "npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(port)], process.env, log);
  for (let i = 0; !(await rpcAnswers(url)); i++) {
    if (i > 300 || node.exitCode !== null) throw new Error(`the Hardhat node did not start:\n${log.join("\n")}`);
    await sleep(300);
  }
  run("npx", ["hardhat", "build", "--quiet", "--no-tests"]);
  if (!existsSync("app/lib/contracts.generated.ts")) run("node", ["scripts/gen-contracts.mjs"]);
  mkdirSync(dir, { recursive: true });
  run("npx", ["hardhat", "run", "--no-compile", "scripts/devnet/seed.ts", "--network", "localhost"], { DEVNET_RPC_URL: url, DEVNET_RECORD_FILE: join(dir, "localhost.json") });
  return { url, stop: () => stopGroup(node, "SIGTERM"), log };
}

/** Debian's PostgreSQL binaries (`apt-get install postgresql`), newest version first. */
function postgresBin() {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, "bin")).find((b) => existsSync(join(b, "initdb")));
  if (!bin) throw new Error("PostgreSQL is not installed: run 'apt-get install -y postgresql' as root (.ci/run does it)");
  return bin;
}

/**
 * A PostgreSQL server of its own in a temporary directory, on `port`, for one test run. As root it runs as
 * the `postgres` user (the server refuses to run as root).
 */
export async function startPostgres(port: number) {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), "indexer-pg-"));
  const asRoot = process.getuid?.() === 0;
  const as = (cmd: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", cmd, ...args]) : run(cmd, args));
  chmodSync(dir, 0o777);
  if (asRoot) run("chown", ["postgres", dir]);
  const data = join(dir, "data");
  as(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  as(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        as(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export type IndexerOptions = { port: number; rpcUrl: string; deploymentsDir: string; databaseUrl?: string; pgliteDir?: string; schema: string };

/** The indexer (`ponder start`), stopped with SIGINT as Ponder expects (SIGTERM leaves its schema locked). */
export function startIndexer(o: IndexerOptions) {
  const log: string[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PONDER_TELEMETRY_DISABLED: "1",
    INDEXER_NETWORK: "localhost",
    INDEXER_DEPLOYMENTS_DIR: o.deploymentsDir,
    INDEXER_RPC_URL: o.rpcUrl,
    DATABASE_URL: o.databaseUrl,
    INDEXER_PGLITE_DIR: o.pgliteDir,
  };
  // Without a database URL Ponder uses its embedded database.
  if (!o.databaseUrl) delete env.DATABASE_URL;
  if (!o.pgliteDir) delete env.INDEXER_PGLITE_DIR;
  const child = started("indexer", "node_modules/.bin/ponder", ["--root", "indexer", "--log-level", "warn", "start", "--schema", o.schema, "-p", String(o.port), "-H", "127.0.0.1"], env, log);
  return { url: `http://127.0.0.1:${o.port}`, log, child, stop: () => stopGroup(child, "SIGINT", 30_000) };
}
