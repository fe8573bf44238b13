import { defineChain } from "viem";
import { fantom, fantomTestnet, sonic } from "viem/chains";
import { CHAIN_IDS } from "../../shared/networks";
import { deployments } from "./contracts.generated";

// The devnet imitates Sonic or Opera (`DEVNET_CHAIN`); its record says which currency it plays.
const localNative = deployments[CHAIN_IDS.local]?.names.nativeCurrency ?? "S";

/** The local Hardhat devnet started by `npm run dev`. */
export const localChain = defineChain({
  id: CHAIN_IDS.local,
  name: "Local devnet",
  nativeCurrency: { name: localNative, symbol: localNative, decimals: 18 },
  rpcUrls: { default: { http: [process.env.NEXT_PUBLIC_LOCAL_RPC_URL ?? "http://127.0.0.1:8545"] } },
  testnet: true,
  // The devnet places Multicall3 at its canonical address (scripts/devnet/seed.ts), as on Opera and Sonic,
  // so wagmi batches reads into one eth_call.
  contracts: { multicall3: { address: "0xcA11bde05977b3631167028862bE2a173976CA11", blockCreated: 0 } },
  // RainbowKit shows a warning-like placeholder for a chain without an icon.
  iconUrl: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="12" fill="#4f46e5"/><text x="12" y="16.5" font-size="12" text-anchor="middle" fill="#fff" font-family="sans-serif">L</text></svg>')}`,
  iconBackground: "#4f46e5",
});

export const sonicTestnet = defineChain({
  id: CHAIN_IDS.sonicTestnet,
  name: "Sonic Blaze Testnet",
  nativeCurrency: { name: "Sonic", symbol: "S", decimals: 18 },
  rpcUrls: { default: { http: ["https://rpc.blaze.soniclabs.com"] } },
  blockExplorers: { default: { name: "SonicScan", url: "https://testnet.sonicscan.org" } },
  testnet: true,
});

export const supportedChains = [sonic, fantom, sonicTestnet, fantomTestnet, localChain] as const;
export type SupportedChainId = (typeof supportedChains)[number]["id"];

export function explorerTx(chainId: number, hash: string): string | undefined {
  const chain = supportedChains.find((c) => c.id === chainId);
  const base = chain && "blockExplorers" in chain ? chain.blockExplorers?.default.url : undefined;
  return base ? `${base}/tx/${hash}` : undefined;
}
