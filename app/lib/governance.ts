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

