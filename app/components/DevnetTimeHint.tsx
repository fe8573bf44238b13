"use client";

import { useDeployment } from "../lib/hooks";
import { localChain } from "../lib/chains";

/**
 * On the local devnet only: how to let a waiting period pass (a withdrawal's, a vote's, the timelock's)
 * instead of waiting for it. Renders nothing on any other chain.
 */
export function DevnetTimeHint({ waitingFor, duration }: { waitingFor: string; duration: string }) {
  const { chainId } = useDeployment();
  if (chainId !== localChain.id) return null;
  return (
    <p className="mt-2 text-xs text-slate-500" data-testid="devnet-time-hint">
      Devnet: to let {waitingFor} pass, run <code className="rounded bg-slate-100 px-1">npm run devnet:time -- {duration}</code> in
      the project folder.
    </p>
  );
}
