"use client";

import { useAccount, useSwitchChain } from "wagmi";
import { deployments } from "../lib/contracts.generated";
import { useRpcHealth } from "../lib/hooks";
import { supportedChains } from "../lib/chains";
import { Button } from "./ui";

/** RPC down, wrong network and missing deployment: each with a clear message and a way out. */
export function StatusBanners() {
  const { chainId, isConnected, chain } = useAccount();
  const { switchChain } = useSwitchChain();
  const { down, refetch } = useRpcHealth();
  const deployedChains = Object.keys(deployments).map(Number);
  const onWrongNetwork = isConnected && (!chain || !deployments[chainId!]);
  return (
    <div className="mx-auto max-w-6xl space-y-2 px-4 pt-3">
      {down && (
        <div role="alert" data-testid="rpc-down-banner" className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <span>The network&apos;s RPC is not answering, so balances may be out of date and transactions cannot be sent.</span>
          <Button variant="secondary" onClick={() => refetch()}>Retry</Button>
        </div>
      )}
      {onWrongNetwork && (
        <div role="alert" data-testid="wrong-network" className="flex flex-wrap items-center gap-3 rounded-lg border border-rose-300 bg-rose-50 p-3 text-sm text-rose-900">
          <span>Your wallet is on {chain?.name ?? `chain ${chainId}`}, where the protocol is not deployed.</span>
          {deployedChains.map((id) => (
            <Button key={id} variant="secondary" data-testid={`switch-to-${id}`} onClick={() => switchChain({ chainId: id })}>
              Switch to {supportedChains.find((c) => c.id === id)?.name ?? id}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Shown where an action needs a wallet. */
export function ConnectHint({ what }: { what: string }) {
  return <p data-testid="connect-hint" className="rounded-lg bg-slate-50 p-3 text-sm text-slate-600">Connect a wallet to {what}. On the local devnet, pick an account in “Local wallet” at the top.</p>;
}
