import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { configVariable, defineConfig } from "hardhat/config";
import type { HardhatPlugin } from "hardhat/types/plugins";
import { CHAIN_IDS } from "./shared/networks.js";
import { API_KEY_VARIABLE, EXPLORERS } from "./scripts/deploy/sources.js";

// Compilers come from the `solc` npm package: Hardhat's own download host is not reachable
// from every machine this project is built on, and a pinned package keeps builds reproducible.
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");
const compiler = {
  version: "0.8.37",
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
    // The NatSpec notices (userdoc) in the build output: scripts/gen-contracts.mjs turns each error's notice
    // into the app's explanation of it. Output selection does not change the bytecode.
    outputSelection: { "*": { "*": ["userdoc"] } },
  },
};

// After every successful build, the TypeScript the rest of the project reads from the compiled contracts
// (enums, error notices, ABIs) is regenerated, so that a test, a script or the keeper never sees an old copy.
const generatedTypes: HardhatPlugin = {
  id: "gen-contracts",
  hookHandlers: { solidity: () => import("./scripts/gen-contracts-hook.js") },
};

export default defineConfig({
  plugins: [hardhatToolboxViem, generatedTypes],
  solidity: {
    profiles: {
      default: { compilers: [compiler] },
      production: { compilers: [compiler] },
    },
    // OpenZeppelin's timelock is deployed as it is: build it so that deployment code can use it by name.
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
  },
  paths: { sources: "./contracts", tests: { solidity: "./test", nodejs: "./test/ts" } },
  // A fixed seed keeps CI runs reproducible. `--test-profile deep` searches much longer.
  test: {
    solidity: {
      profiles: {
        default: {
          fuzz: { runs: 128, seed: "0x5eed" },
          invariant: { runs: 24, depth: 40, failOnRevert: false },
        },
        deep: {
          fuzz: { runs: 5000 },
          invariant: { runs: 400, depth: 80, failOnRevert: false },
        },
      },
    },
  },
  // Source verification (the deploy script, through hardhat-verify): the four real networks' explorers, given
  // here so that hardhat-verify never needs to fetch Etherscan's chain list, and the one Etherscan v2 key
  // (Blockscout needs none).
  chainDescriptors: Object.fromEntries(
    Object.entries(EXPLORERS).map(([chainId, e]) => [
      chainId,
      { name: e.chain, blockExplorers: { [e.provider]: { name: e.name, url: e.url, apiUrl: e.apiUrl } } },
    ]),
  ),
  verify: { etherscan: { apiKey: configVariable(API_KEY_VARIABLE) } },
  networks: {
    // The devnet of `npm run dev` (the browser tests start theirs on another port and say so here).
    localhost: { type: "http", chainType: "l1", url: process.env.DEVNET_RPC_URL ?? "http://127.0.0.1:8545" },
    // Real networks: the deployer key comes from the keystore or the environment, never from a file here.
    opera: { type: "http", chainType: "l1", chainId: CHAIN_IDS.opera, url: configVariable("OPERA_RPC_URL"), accounts: [configVariable("DEPLOYER_PRIVATE_KEY")] },
    "fantom-testnet": { type: "http", chainType: "l1", chainId: CHAIN_IDS.fantomTestnet, url: configVariable("FANTOM_TESTNET_RPC_URL"), accounts: [configVariable("DEPLOYER_PRIVATE_KEY")] },
    sonic: { type: "http", chainType: "l1", chainId: CHAIN_IDS.sonic, url: configVariable("SONIC_RPC_URL"), accounts: [configVariable("DEPLOYER_PRIVATE_KEY")] },
    "sonic-testnet": { type: "http", chainType: "l1", chainId: CHAIN_IDS.sonicTestnet, url: configVariable("SONIC_TESTNET_RPC_URL"), accounts: [configVariable("DEPLOYER_PRIVATE_KEY")] },
  },
});
