// Which deployment the indexer follows: the record `deployments/<INDEXER_NETWORK>.json` that the deployment
// scripts write (addresses and the block the deployment started at), and the chain's RPC.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

type Address = `0x${string}`;
type DeploymentRecord = { chainId: number; startBlock: string; contracts: Partial<Record<string, Address>> };

export const network = process.env.INDEXER_NETWORK ?? "localhost";
const file = resolve(process.env.INDEXER_DEPLOYMENTS_DIR ?? "deployments", `${network}.json`);
if (!existsSync(file)) {
  throw new Error(`The indexer needs the deployment record ${file}: deploy to "${network}" first, or set INDEXER_NETWORK to a network in deployments/.`);
}
const record = JSON.parse(readFileSync(file, "utf8")) as DeploymentRecord;
const required = ["pool", "stFTM", "wstFTM", "withdrawalQueue", "registry", "governor", "timelock"] as const;
const missing = required.filter((k) => !record.contracts?.[k]);
if (missing.length) throw new Error(`${file} has no address for ${missing.join(", ")}: the deployment is not complete.`);

export const chainId = record.chainId;
export const startBlock = Number(record.startBlock ?? 0);
export const addresses = record.contracts as { [k in (typeof required)[number]]: Address };

/** The RPC: INDEXER_RPC_URL, else the devnet's (DEVNET_RPC_URL or DEVNET_RPC_PORT), else 127.0.0.1:8545. */
export const rpcUrl =
  process.env.INDEXER_RPC_URL ??
  process.env.DEVNET_RPC_URL ??
  `http://127.0.0.1:${process.env.DEVNET_RPC_PORT ?? 8545}`;
