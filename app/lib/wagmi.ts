import { connectorsForWallets } from "@rainbow-me/rainbowkit";
import { injectedWallet, walletConnectWallet } from "@rainbow-me/rainbowkit/wallets";
import { createConfig, http } from "wagmi";
import { supportedChains } from "./chains";
import { deployments } from "./contracts.generated";

const projectId = process.env.NEXT_PUBLIC_WALLETCONNECT_PROJECT_ID;

// Injected wallets always; WalletConnect only when a project id is configured (it calls its hosts).
const connectors = connectorsForWallets(
  [{ groupName: "Wallets", wallets: projectId ? [injectedWallet, walletConnectWallet] : [injectedWallet] }],
  { appName: "Liquid Staking", projectId: projectId ?? "unused" },
);

// The first chain is the default before a wallet connects: prefer one where the protocol is deployed.
const chains = [...supportedChains].sort((a, b) => Number(!!deployments[b.id]) - Number(!!deployments[a.id])) as unknown as typeof supportedChains;

export const wagmiConfig = createConfig({
  chains,
  connectors,
  transports: Object.fromEntries(supportedChains.map((c) => [c.id, http()])) as never,
  ssr: true,
});
