"use client";

import { Fragment, useEffect, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import type { Abi } from "viem";
import { formatGasCost } from "../lib/preview";

export type ContractCall = { address: `0x${string}`; abi: Abi; functionName: string; args: readonly unknown[]; value?: bigint };

/** `value`, once it has stopped changing for `ms`: typing does not send a gas estimate per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

const keyOf = (call: ContractCall) => JSON.stringify([call.address, call.functionName, call.args, call.value], (_, v) => (typeof v === "bigint" ? String(v) : v));

/**
 * What `call` would cost the connected wallet in gas, in native wei: the node's gas estimate for it times
 * the current gas price. Undefined without a wallet, or when the node cannot estimate it (it would revert).
 */
function useGasCost(call: ContractCall | undefined) {
  const { address } = useAccount();
  const publicClient = usePublicClient();
  const key = call ? keyOf(call) : undefined;
  const settled = useSettled(key, 300);
  const q = useQuery({
    queryKey: ["gas-cost", address, settled],
    enabled: !!address && !!publicClient && !!call && settled === key,
    queryFn: async () => {
      const [gas, price] = await Promise.all([publicClient!.estimateContractGas({ ...call!, account: address! } as never), publicClient!.getGasPrice()]);
      return gas * price;
    },
    retry: 0,
    staleTime: 10_000,
  });
  return { cost: q.data, estimating: q.isFetching || settled !== key };
}

/** The gas line of a preview: "≈ 0.00015 S", or "—" (with the reason) when it cannot be estimated. */
export function GasCost({ call, unit, unavailable }: { call?: ContractCall; unit: string; unavailable?: string }) {
  const { address } = useAccount();
  const gas = useGasCost(unavailable ? undefined : call);
  if (unavailable) return <>— ({unavailable})</>;
  if (!address) return <>— (no wallet connected)</>;
  if (gas.cost !== undefined && !gas.estimating) return <>{formatGasCost(gas.cost, unit)}</>;
  if (gas.estimating) return <>estimating…</>;
  return <>— (the node cannot estimate it)</>;
}

/** What an action would give, one labelled line each, under its form. */
export function PreviewList({ id, rows }: { id: string; rows: { key: string; label: string; value: ReactNode }[] }) {
  return (
    <dl data-testid={`${id}-preview`} className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 rounded-lg bg-slate-50 p-3 text-sm">
      {rows.map((r) => (
        <Fragment key={r.key}>
          <dt className="text-slate-500">{r.label}</dt>
          <dd data-testid={`${id}-preview-${r.key}`} className="tabular-nums text-slate-900">{r.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
