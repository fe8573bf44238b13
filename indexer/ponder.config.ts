// Ponder's configuration: the suite's contracts on the chain of the deployment record (indexer/deployment.ts),
// with the ABIs of the app's generated contracts file (npm run gen:contracts, from the Hardhat artifacts).
// Database: Ponder's embedded PGlite (in INDEXER_PGLITE_DIR, default indexer/.ponder/pglite) unless
// DATABASE_URL names a PostgreSQL server.
import { fileURLToPath } from "node:url";
import { createConfig } from "ponder";
import { abis } from "../app/lib/contracts.generated";
import { addresses, chainId, rpcUrl, startBlock } from "./deployment";

const chain = "suite" as const;
const at = (address: `0x${string}`) => ({ chain, address, startBlock });

export default createConfig({
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.INDEXER_PGLITE_DIR ?? fileURLToPath(new URL(".ponder/pglite", import.meta.url)) },
  chains: {
    [chain]: {
      id: chainId,
      rpc: rpcUrl,
      // The devnet mines a block per transaction; a public chain is polled at Ponder's default.
      pollingInterval: chainId === 31337 ? 500 : undefined,
      // A restarted devnet reuses chain id 31337 with other blocks: Ponder's RPC cache would serve the old ones.
      disableCache: chainId === 31337,
    },
  },
  contracts: {
    // Receipts give each keeper call's gas.
    StakingPool: { abi: abis.pool, ...at(addresses.pool), includeTransactionReceipts: true },
    StakedFTM: { abi: abis.stFTM, ...at(addresses.stFTM) },
    WrappedStakedFTM: { abi: abis.wstFTM, ...at(addresses.wstFTM) },
    ValidatorRegistry: { abi: abis.registry, ...at(addresses.registry) },
    StakingGovernor: { abi: abis.governor, ...at(addresses.governor) },
    Timelock: { abi: abis.timelock, ...at(addresses.timelock) },
    WithdrawalQueue: { abi: abis.withdrawalQueue, ...at(addresses.withdrawalQueue) },
  },
});
