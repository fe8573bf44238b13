"use client";

import { useMemo } from "react";
import { useAccount, useChainId, useWriteContract, usePublicClient } from "wagmi";
import { toast } from "sonner";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createPublicClient, http, type Abi } from "viem";
import { deployments, type Deployment } from "./contracts.generated";
import { describeError } from "./errors";
import { explorerTx, supportedChains } from "./chains";

/** The deployment on the wallet's chain (or the devnet when no wallet is connected and it exists). */
export function useDeployment(): { deployment?: Deployment; chainId: number } {
  const chainId = useChainId();
  return { deployment: deployments[chainId], chainId };
}

/** How long one health probe may wait for the RPC, and how often it asks. */
const PROBE_TIMEOUT_MS = 4_000;
const PROBE_EVERY_MS = 3_000;

/**
 * Whether the node answers: a probe of its own (one `eth_blockNumber`, no retries, a 4 s timeout, every
 * 3 s), so that an RPC that hangs shows as down within about 7 s instead of after the reads' own retries.
 */
export function useRpcHealth() {
  const chainId = useChainId();
  const chain = supportedChains.find((c) => c.id === chainId);
  const probe = useMemo(() => (chain ? createPublicClient({ chain, transport: http(undefined, { timeout: PROBE_TIMEOUT_MS, retryCount: 0 }) }) : undefined), [chain]);
  const block = useQuery({
    queryKey: ["rpc-health", chainId],
    enabled: !!probe,
    queryFn: () => probe!.getBlockNumber({ cacheTime: 0 }),
    retry: 0,
    refetchInterval: PROBE_EVERY_MS,
    refetchIntervalInBackground: false,
  });
  return { down: block.isError, block: block.data, refetch: block.refetch };
}

/**
 * The one wrapper for writes: pending → confirmed (with explorer link) or failed (with the decoded custom
 * error) toasts, and a refresh of every read once the transaction is mined.
 */
export function useTransaction() {
  const { writeContractAsync, isPending } = useWriteContract();
  const publicClient = usePublicClient();
  const queryClient = useQueryClient();
  const { chainId } = useAccount();

  async function send<const A extends Abi>(label: string, request: { address: `0x${string}`; abi: A; functionName: string; args?: readonly unknown[]; value?: bigint }) {
    const id = toast.loading(`${label}: confirm in your wallet…`);
    try {
      const hash = await writeContractAsync(request as never);
      toast.loading(`${label}: pending…`, { id });
      const receipt = await publicClient!.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error("The transaction reverted.");
      const link = chainId ? explorerTx(chainId, hash) : undefined;
      toast.success(`${label}: confirmed`, { id, description: link ? <a href={link} target="_blank" rel="noreferrer" className="underline">View on explorer</a> : `Transaction ${hash.slice(0, 10)}…` });
      await queryClient.invalidateQueries();
      return receipt;
    } catch (e) {
      toast.error(`${label} failed`, { id, description: describeError(e), duration: 15_000 });
      await queryClient.invalidateQueries();
      return undefined;
    }
  }
  return { send, isPending };
}
