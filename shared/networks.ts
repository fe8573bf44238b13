// The chains the protocol runs on and the SFC's address: named here once, used by the Hardhat config,
// the deployment, the keeper, the app, the devnet, the browser tests and the benchmarks.

/** The real SFC's address on Fantom Opera and Sonic; the devnet places the SFC model there too. */
export const SFC_ADDRESS = "0xFC00FACE00000000000000000000000000000000" as const;

/** Chain ids by network. `local` is the Hardhat devnet of `npm run dev`, the tests and the benchmarks. */
export const CHAIN_IDS = {
  opera: 250,
  fantomTestnet: 4002,
  sonic: 146,
  sonicTestnet: 57054,
  local: 31337,
} as const;

export type ChainId = (typeof CHAIN_IDS)[keyof typeof CHAIN_IDS];

/** The production chains: deployments there must use a timelock delay of at least two days. */
export const MAINNET_CHAIN_IDS: readonly number[] = [CHAIN_IDS.opera, CHAIN_IDS.sonic];
