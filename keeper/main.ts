// The keeper service, inside Hardhat's environment (network config, keystore, artifacts). Started by
// `npm run keeper -- --network <name>` (keeper/cli.mjs), which passes its options in KEEPER_OPTIONS.
import { existsSync, readFileSync } from "node:fs";
import hre, { network } from "hardhat";
import { configVariable } from "hardhat/config";
import { createPublicClient, getAddress, http, type Address, type Hex, type LocalAccount } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { defaultConfig, Keeper } from "./keeper.js";
import { jsonLogger } from "./log.js";
import { serveMetrics } from "./metrics.js";
import { loadKeeperParams } from "./params.js";
import { CHAIN_IDS } from "../shared/networks.js";
import type { DeploymentRecord } from "../shared/protocol.generated.js";

interface Options {
  port?: number;
  dryRun?: boolean;
  once?: boolean;
  gasCap?: string;
  interval?: number;
  deployment?: string;
  pool?: string;
  stateDir?: string;
  txTimeoutMs?: number;
}

const opts: Options = JSON.parse(process.env.KEEPER_OPTIONS ?? "{}");
const log = jsonLogger();
const conn = await network.connect();
const name = conn.networkName;

/** The RPC URL of the network config (resolving a configVariable such as SONIC_RPC_URL). */
async function rpcUrl(): Promise<string> {
  const url = (conn.networkConfig as { url?: string | { getUrl: () => Promise<string> } }).url;
  if (!url) throw new Error(`network "${name}" has no url: the keeper runs against an RPC endpoint (an http network)`);
  return typeof url === "string" ? url : url.getUrl();
}

/**
 * The operator key: KEEPER_PRIVATE_KEY from the environment, else from Hardhat's keystore
 * (`npx hardhat keystore set KEEPER_PRIVATE_KEY`); on the devnet, the seeded operator account.
 */
async function operatorAccount(chainId: number, record: Partial<DeploymentRecord>): Promise<LocalAccount> {
  const variable = configVariable("KEEPER_PRIVATE_KEY");
  let key: string | undefined = process.env.KEEPER_PRIVATE_KEY;
  if (key === undefined && chainId !== CHAIN_IDS.local) {
    key = await hre.hooks.runHandlerChain("configurationVariables", "fetchValue", [variable], async () => {
      throw new Error("KEEPER_PRIVATE_KEY is set neither in the environment nor in Hardhat's keystore (npx hardhat keystore set KEEPER_PRIVATE_KEY)");
    });
  }
  if (key !== undefined) return privateKeyToAccount((key.startsWith("0x") ? key : `0x${key}`) as Hex);
  // The devnet: Hardhat's default accounts; the seed made one of them the operator.
  const operator = record.accounts?.operator;
  if (!operator) throw new Error("no KEEPER_PRIVATE_KEY and no seeded operator in the deployment record");
  for (let i = 0; i < 20; i++) {
    const a = mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: i });
    if (a.address === getAddress(operator)) return a;
  }
  throw new Error(`the seeded operator ${operator} is not one of Hardhat's default accounts`);
}

const deploymentFile = opts.deployment ?? `deployments/${name}.json`;
const record: Partial<DeploymentRecord> = existsSync(deploymentFile) ? JSON.parse(readFileSync(deploymentFile, "utf8")) : {};
const pool = (opts.pool ?? record.contracts?.pool) as Address | undefined;
if (!pool) throw new Error(`no pool address: pass --pool or deploy first (${deploymentFile} names none)`);
const params = loadKeeperParams(`scripts/deploy/params/${name}.json`);
const client = createPublicClient({ transport: http(await rpcUrl(), { retryCount: 0, timeout: 30_000, batch: { batchSize: 200, wait: 0 } }) });
const chainId = await client.getChainId();
const account = await operatorAccount(chainId, record);
const keeper = new Keeper(
  client,
  account,
  defaultConfig({
    pool: getAddress(pool),
    poolAbi: (await hre.artifacts.readArtifact("StakingPool")).abi,
    registryAbi: (await hre.artifacts.readArtifact("ValidatorRegistry")).abi,
    intervalSeconds: opts.interval ?? params.keeperIntervalSeconds,
    gasCap: opts.gasCap ? BigInt(opts.gasCap) : 10_000_000n,
    lockFile: `${opts.stateDir ?? `.keeper/${name}`}/keeper.lock`,
    dryRun: !!opts.dryRun,
    ...(opts.txTimeoutMs ? { txTimeoutMs: opts.txTimeoutMs } : {}),
    ...(chainId === CHAIN_IDS.local ? { pollMs: 500, idleTickMs: 5000 } : {}),
  }),
  log,
);

if (opts.dryRun || opts.once) {
  await keeper.tick();
} else {
  const server = await serveMetrics(opts.port ?? 9464, { health: () => keeper.health(), metrics: () => keeper.prometheus() });
  log("serving", { health: `http://127.0.0.1:${server.port}/health`, metrics: `http://127.0.0.1:${server.port}/metrics` });
  const stop = () => keeper.stop();
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await keeper.start();
  await server.close();
}
process.exit(0);
