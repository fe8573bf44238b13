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


/** A proposal's tally as the governor's `proposalVotes` returns it: against, for, abstain. */
export type Tally = { against: bigint; for: bigint; abstain: bigint };

export function tallyOf(votes: readonly [bigint, bigint, bigint]): Tally {
  return { against: votes[0], for: votes[1], abstain: votes[2] };
}

/** `part` as a share of `total` in percent, to one decimal and rounded down; 0 when nothing was cast. */
export function sharePercent(part: bigint, total: bigint): number {
  return total > 0n ? Number((part * 1000n) / total) / 10 : 0;
}

/**
 * How far a proposal is towards its quorum, in whole percent rounded down (so 100 means reached). The
 * governor counts For and Abstain votes towards quorum, not Against (OpenZeppelin's simple counting).
 */
export function quorumPercent(t: Tally, quorum: bigint): number {
  if (quorum === 0n) return 100;
  return Number(((t.for + t.abstain) * 100n) / quorum);
}

export type TimelineStep = { label: string; at?: bigint; done: boolean };

/** What the indexer recorded of a proposal's life (chain times, seconds). */
export type RecordedTimes = { createdAt?: bigint; queuedAt?: bigint; executedAt?: bigint; canceledAt?: bigint; extendedAt?: bigint };

/**
 * The steps of a proposal's life in order, each with its date where one is known and whether it has
 * happened: created, voting opened, the vote's result, queued, executable, executed (or canceled,
 * expired). Times the governor knows (snapshot, deadline, eta) come from it; when the others happened
 * only the indexer can say, so without it those steps have no date.
 */
export function proposalTimeline(
  p: { state: ProposalStateName; snapshot: bigint; deadline: bigint; eta: bigint; now: bigint },
  recorded: RecordedTimes = {},
): TimelineStep[] {
  const opened = p.now > p.snapshot;
  const closed = p.now > p.deadline;
  const created: TimelineStep = { label: "Created", at: recorded.createdAt, done: true };
  const opening: TimelineStep = { label: opened ? "Voting opened" : "Voting opens", at: p.snapshot, done: opened };
  if (p.state === "Canceled") {
    const canceledBeforeVoting = !opened || (recorded.canceledAt !== undefined && recorded.canceledAt <= p.snapshot);
    return [created, ...(canceledBeforeVoting ? [] : [opening]), { label: "Canceled", at: recorded.canceledAt, done: true }];
  }
  const steps = [created, opening];
  if (recorded.extendedAt !== undefined) steps.push({ label: "Voting extended (quorum reached late)", at: recorded.extendedAt, done: true });
  if (p.state === "Defeated") return [...steps, { label: "Defeated", at: p.deadline, done: true }];
  steps.push({ label: closed ? "Succeeded" : "Voting ends", at: p.deadline, done: closed });
  const queued = p.eta > 0n;
  steps.push({ label: "Queued", at: recorded.queuedAt, done: queued });
  steps.push({ label: "Executable", at: queued ? p.eta : undefined, done: queued && p.now >= p.eta });
  if (p.state === "Expired") return [...steps, { label: "Expired", done: true }];
  return [...steps, { label: "Executed", at: recorded.executedAt, done: p.state === "Executed" }];
}

/** The countdown a proposal's page shows for its state, from the chain's time; undefined when nothing is ahead. */
export function proposalCountdown(p: { state: ProposalStateName; snapshot: bigint; deadline: bigint; eta: bigint; now: bigint }): { text: string; seconds?: bigint } | undefined {
  if (p.state === "Pending") return { text: "voting starts in", seconds: p.snapshot - p.now + 1n };
  if (p.state === "Active") return { text: "voting ends in", seconds: p.deadline - p.now + 1n };
  if (p.state === "Queued") return p.eta > p.now ? { text: "executable in", seconds: p.eta - p.now } : { text: "executable now" };
  return undefined;
}
