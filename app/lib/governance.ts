import { decodeFunctionData, formatEther, type Hex } from "viem";
import { abis, type Deployment } from "./contracts.generated";
import { IGovernorProposalStateNames } from "../../shared/protocol.generated";

/** OpenZeppelin's `IGovernor.ProposalState` names, by value. */
export const PROPOSAL_STATES = IGovernorProposalStateNames;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

export type DecodedAction =
  | { kind: "setTargets"; ids: readonly bigint[]; weights: readonly number[] }
  | { kind: "approve" | "remove"; id: bigint }
  | { kind: "other"; text: string };

/** Turns a proposal action into something a holder can read. */
export function decodeAction(d: Deployment, target: `0x${string}`, data: Hex): DecodedAction {
  const lower = target.toLowerCase();
  try {
    if (lower === d.contracts.registry.toLowerCase()) {
      const call = decodeFunctionData({ abi: abis.registry, data });
      if (call.functionName === "setTargets") return { kind: "setTargets", ids: call.args[0], weights: call.args[1] };
      if (call.functionName === "approve") return { kind: "approve", id: call.args[0] };
      if (call.functionName === "remove") return { kind: "remove", id: call.args[0] };
      return { kind: "other", text: `Registry: ${call.functionName}(${(call.args ?? []).join(", ")})` };
    }
    if (lower === d.contracts.pool.toLowerCase()) {
      const call = decodeFunctionData({ abi: abis.pool, data });
      if (call.functionName === "setFeeBps") return { kind: "other", text: `Set the protocol fee to ${Number(call.args[0]) / 100} %` };
      if (call.functionName === "resume") return { kind: "other", text: `Resume ${["staking", "withdrawals", "processing"][Number(call.args[0])]}` };
      if (call.functionName === "setMinStake") return { kind: "other", text: `Set the minimum stake to ${formatEther(call.args[0])}` };
      return { kind: "other", text: `Pool: ${call.functionName}(${(call.args ?? []).map(String).join(", ")})` };
    }
  } catch {}
  return { kind: "other", text: `Call ${target.slice(0, 10)}… with ${data.slice(0, 10)}` };
}

export function summarise(actions: DecodedAction[]): string {
  return actions
    .map((a) => {
      switch (a.kind) {
        case "setTargets":
          return `Set target weights for ${a.ids.length} validators`;
        case "approve":
          return `Admit validator #${a.id}`;
        case "remove":
          return `Remove validator #${a.id}`;
        default:
          return a.text;
      }
    })
    .join(" · ");
}

/**
 * Sets weight `index` to `value` bps and rescales the others in proportion so the vector still sums to
 * exactly 10,000 (equally when the others are all zero). Weights are integers in bps.
 */
export function rebalanceWeights(weights: number[], index: number, value: number): number[] {
  const v = Math.max(0, Math.min(10_000, Math.round(value)));
  if (weights.length === 1) return [10_000];
  const others = weights.map((w, i) => (i === index ? 0 : w));
  const otherSum = others.reduce((s, w) => s + w, 0);
  const rest = 10_000 - v;
  const next = others.map((w, i) => (i === index ? v : otherSum === 0 ? Math.floor(rest / (weights.length - 1)) : Math.floor((w * rest) / otherSum)));
  let diff = 10_000 - next.reduce((s, w) => s + w, 0);
  // Hand the rounding remainder to the other weights, largest first.
  const order = next.map((w, i) => [w, i] as const).filter(([, i]) => i !== index).sort((a, b) => b[0] - a[0]);
  for (let k = 0; diff > 0; k = (k + 1) % order.length, diff--) next[order[k][1]]++;
  return next;
}

/** Equal weights summing to exactly 10,000 bps. */
export function equalWeights(n: number): number[] {
  if (n === 0) return [];
  const w = Array.from({ length: n }, () => Math.floor(10_000 / n));
  w[n - 1] += 10_000 - w.reduce((s, x) => s + x, 0);
  return w;
}
