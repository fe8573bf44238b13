// `npm run dev`: the whole local system in one command. Starts a Hardhat node on 127.0.0.1, seeds it
// (SFC model at the real SFC address, the suite, validators, holders, proposals), generates the app's
// contracts file, keeps sealing epochs with rewards on a timer, and starts the app. Ctrl-C stops it all.
//
// Environment: DEVNET_RPC_PORT (8545), APP_PORT (3000), DEVNET_EPOCH_SECONDS (20; 0 = no timer),
// DEVNET_KEEPER=0 (no keeper; otherwise the keeper service of `npm run keeper` runs as the seeded operator,
// every `keeperIntervalSeconds` of params/localhost.json), DEVNET_KEEPER_PORT (9464: its /health and /metrics),
// DEVNET_NO_APP=1 (chain only), DEVNET_APP_MODE=dev|start (start = production build, as e2e uses),
// DEVNET_CHAIN=sonic|opera (sonic): the chain the devnet imitates, with its SFC layout, withdrawal period
// (14 days on Sonic, 7 on Opera) and names (S / stS / wstS or FTM / stFTM / wstFTM).
// DEVNET_INDEXER=0 (no indexer; otherwise indexer/ runs on its embedded database, fresh for each devnet),
// INDEXER_PORT (42069: the indexer's HTTP API, which the app reads history from).
import { spawn } from "node:child_process";
import { eachLine } from "./lib/lines.mjs";
import { readFileSync, rmSync } from "node:fs";
import { createPublicClient, createWalletClient, http, parseEther, defineChain } from "viem";
import { CHAIN_IDS, SFC_ADDRESS } from "../shared/networks.ts";

const rpcPort = Number(process.env.DEVNET_RPC_PORT ?? 8545);
const appPort = Number(process.env.APP_PORT ?? 3000);
const epochSeconds = Number(process.env.DEVNET_EPOCH_SECONDS ?? 20);
const keeperOn = process.env.DEVNET_KEEPER !== "0";
const keeperPort = Number(process.env.DEVNET_KEEPER_PORT ?? 9464);
const devnetChain = process.env.DEVNET_CHAIN || "sonic";
if (devnetChain !== "sonic" && devnetChain !== "opera") {
  console.error(`DEVNET_CHAIN must be "sonic" or "opera", got ${JSON.stringify(process.env.DEVNET_CHAIN)}`);
  process.exit(1);
}
const indexerOn = process.env.DEVNET_INDEXER !== "0";
const indexerPort = Number(process.env.INDEXER_PORT ?? 42069);
const indexerUrl = `http://127.0.0.1:${indexerPort}`;
const rpcUrl = `http://127.0.0.1:${rpcPort}`;
const children = [];
let stopping = false;

function start(name, cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], detached: true, ...opts });
  const prefix = (line) => `[${name}] ${line}`;
  const pipe = (stream, sink) => eachLine(stream, (l) => {
    if (!opts.quiet || /error|warn/i.test(l)) sink.write(prefix(l) + "\n");
  });
  pipe(child.stdout, process.stdout);
  pipe(child.stderr, process.stderr);
  child.on("exit", (code) => {
    if (!stopping && !opts.oneShot) {
      console.error(prefix(`exited with code ${code}; stopping everything`));
      stop(1);
    }
  });
  if (!opts.oneShot) children.push(child);
  return child;
}

function run(name, cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = start(name, cmd, args, { oneShot: true, env: { ...process.env, ...env } });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed with code ${code}`))));
  });
}

function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) {
    try {
      // The whole process group: next dev starts a child server. Ponder shuts down cleanly on SIGINT only.
      process.kill(-c.pid, c.signal ?? "SIGTERM");
    } catch {}
  }
  setTimeout(() => process.exit(code), 500);
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));


async function waitForRpc(timeoutMs = 60_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the Hardhat node did not answer on ${rpcUrl}`);
}

async function main() {
  console.log("Starting the local devnet…");
  start("node", "npx", ["hardhat", "node", "--hostname", "127.0.0.1", "--port", String(rpcPort)], { quiet: true });
  await waitForRpc();
  // Contracts only, quietly: the Solidity tests' own compilation would fill the screen with forge-std warnings.
  await run("compile", "npx", ["hardhat", "build", "--quiet", "--no-tests"]);
  await run("seed", "npx", ["hardhat", "run", "--no-compile", "scripts/devnet/seed.ts", "--network", "localhost"], { DEVNET_RPC_URL: rpcUrl, DEVNET_CHAIN: devnetChain });
  // The same Node as this script: the generator, like this script, imports shared/networks.ts (Node 22 strips its types).
  await run("gen", process.execPath, ["scripts/gen-contracts.mjs"]);

  const record = JSON.parse(readFileSync("deployments/localhost.json", "utf8"));
  const native = record.names.nativeCurrency;
  const chain = defineChain({ id: CHAIN_IDS.local, name: "Local", nativeCurrency: { name: native, symbol: native, decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const wallet = createWalletClient({ chain, transport: http(rpcUrl) });
  const sfcAbi = [{ type: "function", name: "sealEpoch", inputs: [], outputs: [], stateMutability: "payable" }];

  if (epochSeconds > 0) {
    setInterval(async () => {
      try {
        const hash = await wallet.writeContract({ account: record.accounts.deployer, address: SFC_ADDRESS, abi: sfcAbi, functionName: "sealEpoch", value: parseEther("40") });
        await publicClient.waitForTransactionReceipt({ hash });
      } catch (e) {
        if (!stopping) console.error(`[epochs] ${e.shortMessage ?? e.message}`);
      }
    }, epochSeconds * 1000);
  }

  // The operator bot is the keeper service itself (keeper/), as the seeded operator.
  if (keeperOn) {
    start("keeper", process.execPath, ["keeper/cli.mjs", "--network", "localhost", "--no-compile", "--port", String(keeperPort)], { env: { ...process.env, DEVNET_RPC_URL: rpcUrl } });
  }

  // The indexer (indexer/, Ponder) serves the app's history. Its embedded database starts empty with each
  // devnet: the chain is new every time, under the same chain id.
  function startIndexer() {
    const dir = `.ponder/devnet-${rpcPort}`;
    rmSync(dir, { recursive: true, force: true });
    const indexer = start("indexer", "node_modules/.bin/ponder", ["--root", "indexer", "--log-level", "warn", "start", "--schema", "devnet", "-p", String(indexerPort), "-H", "127.0.0.1"], {
      env: { ...process.env, DEVNET_RPC_URL: rpcUrl, INDEXER_NETWORK: "localhost", INDEXER_PGLITE_DIR: dir, PONDER_TELEMETRY_DISABLED: "1" },
    });
    indexer.signal = "SIGINT";
  }

  const a = record.accounts;
  console.log(`
  Local devnet ready on ${rpcUrl} (chain id ${CHAIN_IDS.local}), imitating ${devnetChain === "sonic" ? "Sonic" : "Fantom Opera"}: ${native}, ${record.names.stakedToken.symbol}, ${record.names.wrappedToken.symbol}. Accounts (Hardhat's default, unlocked):
    holders     ${a.holders.join("\n              ")}
    validators  ${a.validators.map((v) => `${v.auth}  #${v.id} ${v.name}`).join("\n              ")}
    operator    ${a.operator}
    guardian    ${a.guardian}
    treasury    ${a.treasury}
  Epochs with rewards are sealed every ${epochSeconds || "—"} s${keeperOn ? `; the keeper runs rounds as the operator (health: http://127.0.0.1:${keeperPort}/health)` : ""}.${indexerOn ? `\n  Indexer (history for the app): ${indexerUrl}/history/rate, GraphQL at ${indexerUrl}/graphql.` : ""}`);

  if (!process.env.DEVNET_NO_APP) {
    const mode = process.env.DEVNET_APP_MODE === "start" ? "start" : "dev";
    // The app talks to this devnet, whatever port it was given.
    const appEnv = { ...process.env, NEXT_PUBLIC_LOCAL_RPC_URL: process.env.NEXT_PUBLIC_LOCAL_RPC_URL ?? rpcUrl };
    if (indexerOn) appEnv.NEXT_PUBLIC_INDEXER_URL = process.env.NEXT_PUBLIC_INDEXER_URL ?? indexerUrl;
    if (mode === "start") await run("build", "npx", ["next", "build"], appEnv);
    // After the build: the indexer's catch-up and the build would compete for the same cores.
    if (indexerOn) startIndexer();
    start("app", "npx", ["next", mode, "--hostname", "127.0.0.1", "--port", String(appPort)], { env: appEnv });
    console.log(`\nApp: http://127.0.0.1:${appPort}  (pick "Local wallet" to act as any account above). Ctrl-C stops everything.\n`);
  } else {
    if (indexerOn) startIndexer();
    console.log("\nChain only (DEVNET_NO_APP). Ctrl-C stops it.\n");
  }
}

// A failed step (seed, build) must not leave the node or the app running behind it.
main().catch((e) => {
  console.error(`\n${e?.message ?? e}\nStopping everything this command started.`);
  stop(1);
});
