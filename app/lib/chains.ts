import { defineChain } from "viem";
import { fantom, fantomTestnet, sonic } from "viem/chains";

/** The local Hardhat devnet started by `npm run dev`. */
export const localChain = defineChain({
  id: 31337,
  name: "Local devnet",
  nativeCurrency: { name: "Fantom", symbol: "FTM", decimals: 18 },
  rpcUrls: { default: { http: [process.env.NEXT_PUBLIC_LOCAL_RPC_URL ?? "http://127.0.0.1:8545"] } },
  testnet: true,
});

export const sonicTestnet = defineChain({
  id: 57054,
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

/** The token symbol shown for amounts on this chain (FTM on Fantom and the devnet, S on Sonic). */
export function nativeSymbol(chainId: number | undefined): string {
  return supportedChains.find((c) => c.id === chainId)?.nativeCurrency.symbol ?? "FTM";
}
