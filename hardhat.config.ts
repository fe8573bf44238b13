import { createRequire } from "node:module";
import hardhatToolboxViem from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

// Compilers come from the `solc` npm package: Hardhat's own download host is not reachable
// from every machine this project is built on, and a pinned package keeps builds reproducible.
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");
const compiler = {
  version: "0.8.37",
  path: solcPath,
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
};

export default defineConfig({
  plugins: [hardhatToolboxViem],
  solidity: {
    profiles: { default: compiler, production: compiler },
    remappings: ["forge-std/=node_modules/@layerzerolabs/toolbox-foundry/lib/forge-std/src/"],
  },
  paths: { sources: "./contracts", tests: { solidity: "./test", nodejs: "./test" } },
  networks: {
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
