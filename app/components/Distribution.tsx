"use client";

import { useAllocationBase, useValidators } from "../lib/data";
import { DistributionChart } from "./charts";

/** Current vs target distribution over the validators the pool may hold stake with. */
export function Distribution() {
  const { data: validators } = useValidators();
  const inSet = (validators ?? []).filter((v) => ["Active", "Exiting", "Ineligible"].includes(v.state));
  const total = useAllocationBase() ?? 0n;
  const weightSum = inSet.filter((v) => v.state === "Active").reduce((s, v) => s + v.weightBps, 0);
  const data = inSet.map((v) => ({
    name: v.name,
    current: total > 0n ? Number((v.stake * 1_000_000n) / total) / 10_000 : 0,
    target: weightSum > 0 && v.state === "Active" ? (v.weightBps / weightSum) * 100 : 0,
  }));
  if (!validators) return <div className="h-64 animate-pulse rounded-lg bg-slate-100" />;
  if (data.length === 0) return <p className="text-sm text-slate-500">No validators in the set yet.</p>;
  return <DistributionChart data={data} />;
}
