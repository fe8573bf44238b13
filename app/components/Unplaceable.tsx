"use client";

import { useReadContract } from "wagmi";
import { TokenAmount } from "./TokenAmount";
import { abis } from "../lib/contracts.generated";
import { AllocationLimit } from "../../shared/protocol.generated";
import { useDeployment } from "../lib/hooks";
import { nativeSymbol } from "../lib/chains";

/** Why stake could not be placed, as `unplaceable()` reports it (an `Allocation.Limit`). */
const REASONS: Record<number, string> = {
  [AllocationLimit.Cap]: "validators are held at the maximum weight (maxWeightBps): a higher cap or more validators would place it",
  [AllocationLimit.Room]: "the validators with weight have no SFC delegation room left: more self-stake or more validators would place it",
  [AllocationLimit.TooFewHealthy]: "too few healthy validators with weight: governance must add validators (or raise the cap) before it can be placed",
};

/** What the pool's targets cannot place, and why; nothing while everything can be placed. */
export function UnplaceableNote() {
  const { deployment, chainId } = useDeployment();
  const pool = deployment ? { address: deployment.contracts.pool, abi: abis.pool } : undefined;
  const q = useReadContract({ ...pool!, functionName: "unplaceable", query: { enabled: !!pool } });
  const [amount, limit] = (q.data as readonly [bigint, number] | undefined) ?? [0n, 0];
  if (amount === 0n) return null;
  return (
    <p role="status" data-testid="unplaceable" className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      <TokenAmount wei={amount} symbol={nativeSymbol(chainId)} /> cannot be placed with any validator and stays idle, earning nothing: {REASONS[limit] ?? "no validator can take it"}.
    </p>
  );
}
