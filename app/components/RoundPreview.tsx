"use client";

import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { abis } from "../lib/contracts.generated";
import { SFC_ADDRESS } from "../../shared/networks";
import { StakingPoolPhaseNames } from "../../shared/protocol.generated";
import { decodeValidator } from "../../shared/sfc";
import { splitByMaturity, validatorExit, type Tally } from "../../shared/schedule";
import { useValidators } from "../lib/data";
import { useDeployment } from "../lib/hooks";
import { TokenAmount } from "./TokenAmount";

/** The phases of `process`, in the pool's order (`StakingPool.Phase`). */
export const ROUND_PHASES = StakingPoolPhaseNames;

export interface RoundOutlook {
  phase: (typeof ROUND_PHASES)[number];
  cursor: number;
  rewards: bigint;
  rewardValidators: number;
  matured: Tally;
  waiting: Tally;
  held: Tally;
  owed: bigint;
  idle: bigint;
  payable: bigint;
  moves: readonly { validatorId: bigint; isDelegate: boolean; amount: bigint; driftAmount: bigint }[];
}

/**
 * Everything the next keeper round will do, read from the chain: rewards to harvest (the SFC's pending
 * rewards of the pool at each validator it stakes with), SFC requests whose withdrawal period has passed,
 * the owed withdrawals it can pay (idle FTM and matured requests), and the moves the planner makes. Also
 * whether a round is half done: `process` then goes on from where the last call stopped.
 */
export function useRoundOutlook() {
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  const validators = useValidators();
  // The validators the pool has stake with: their pending rewards are what the harvest collects.
  const staked = (validators.data ?? []).filter((v) => v.stake > 0n).map((v) => v.id);
  return useQuery({
    queryKey: ["round-outlook", deployment?.contracts.pool, staked.join(",")],
    enabled: !!deployment && !!publicClient && !!validators.data,
    refetchInterval: 10_000,
    // A new set of staked validators keeps showing the last outlook until the new one is read.
    placeholderData: (previous) => previous,
    queryFn: async (): Promise<RoundOutlook> => {
      const pc = publicClient!;
      const pool = { address: deployment!.contracts.pool, abi: abis.pool } as const;
      const sfc = { address: SFC_ADDRESS, abi: abis.sfc } as const;
      const [round, moves, owed, idle, count, consts, epoch, block, rewards] = await Promise.all([
        pc.readContract({ ...pool, functionName: "round" }),
        pc.readContract({ ...pool, functionName: "previewProcess" }),
        pc.readContract({ ...pool, functionName: "pendingWithdrawals" }),
        pc.readContract({ ...pool, functionName: "idleLiquidity" }),
        pc.readContract({ ...pool, functionName: "unbondingCount" }),
        pc.readContract({ ...sfc, functionName: "constsAddress" }),
        pc.readContract({ ...sfc, functionName: "currentEpoch" }),
        pc.getBlock(),
        Promise.all(staked.map((id) => pc.readContract({ ...sfc, functionName: "pendingRewards", args: [pool.address, id] }))),
      ]);
      const [periodEpochs, periodTime, unbondings] = await Promise.all([
        pc.readContract({ address: consts, abi: abis.sfcConstants, functionName: "withdrawalPeriodEpochs" }),
        pc.readContract({ address: consts, abi: abis.sfcConstants, functionName: "withdrawalPeriodTime" }),
        Promise.all(Array.from({ length: Number(count) }, (_, i) => pc.readContract({ ...pool, functionName: "unbondingAt", args: [BigInt(i)] }))),
      ]);
      // Maturity also depends on each request's validator: an earlier deactivation, or a booked slashing
      // without refund. The keeper counts with the same rule (shared/schedule.ts).
      const ids = [...new Set(unbondings.map((u) => u.validatorId))];
      const exits = new Map(await Promise.all(ids.map(async (id) => {
        const [words, book] = await Promise.all([
          pc.readContract({ address: SFC_ADDRESS, abi: abis.sfcValidator, functionName: "getValidator", args: [id] }),
          pc.readContract({ ...pool, functionName: "bookOf", args: [id] }),
        ]);
        return [id, validatorExit(decodeValidator(words, deployment!.sfcLayout), book)] as const;
      })));
      const { matured, waiting, held } = splitByMaturity(unbondings, { epochNow: epoch, now: block.timestamp, periodEpochs, periodTime }, (id) => exits.get(id)!);
      const [phase, cursor] = round as readonly [number, number, bigint, bigint];
      const available = idle + matured.amount;
      return {
        phase: ROUND_PHASES[phase] ?? "Idle",
        cursor: Number(cursor),
        rewards: rewards.reduce((s, r) => s + r, 0n),
        rewardValidators: rewards.filter((r) => r > 0n).length,
        matured,
        waiting,
        held,
        owed,
        idle,
        payable: owed < available ? owed : available,
        moves,
      };
    },
  });
}

/** The outlook as a list a person reads from top to bottom, in the order the round does it. */
export function RoundOutlookList({ outlook, symbol }: { outlook: RoundOutlook; symbol: string }) {
  const o = outlook;
  const delegations = o.moves.filter((m) => m.isDelegate);
  const undelegations = o.moves.filter((m) => !m.isDelegate);
  const sum = (ms: typeof o.moves) => ms.reduce((s, m) => s + m.amount, 0n);
  return (
    <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700" data-testid="round-outlook">
      <li data-testid="outlook-harvest">
        {o.rewards > 0n ? <>Harvest <TokenAmount wei={o.rewards} symbol={symbol} /> of rewards from {o.rewardValidators} validator{o.rewardValidators === 1 ? "" : "s"} (they vest into the rate).</> : "No rewards to harvest yet."}
      </li>
      <li data-testid="outlook-withdraw">
        {o.matured.count > 0 ? <>Withdraw {o.matured.count} matured SFC request{o.matured.count === 1 ? "" : "s"}: <TokenAmount wei={o.matured.amount} symbol={symbol} />.</> : "No SFC request has matured."}
        {o.waiting.count > 0 && <> {o.waiting.count} more still in the withdrawal period (<TokenAmount wei={o.waiting.amount} symbol={symbol} />).</>}
        {o.held.count > 0 && <> {o.held.count} held at a validator slashed without refund (<TokenAmount wei={o.held.amount} symbol={symbol} />): tried again once the chain sets a refund ratio.</>}
      </li>
      <li data-testid="outlook-finalise">
        {o.owed === 0n ? "No withdrawal is waiting to be paid."
          : o.payable > 0n ? <>Pay <TokenAmount wei={o.payable} symbol={symbol} /> of the <TokenAmount wei={o.owed} symbol={symbol} /> owed to queued withdrawals, oldest first.</>
          : <>Queued withdrawals are owed <TokenAmount wei={o.owed} symbol={symbol} />; nothing can pay them yet (no idle {symbol}, no matured request).</>}
      </li>
      <li data-testid="outlook-moves">
        {o.moves.length === 0 ? "No moves: the stake is on target."
          : <>{delegations.length > 0 && <>Delegate <TokenAmount wei={sum(delegations)} symbol={symbol} /> to {delegations.length} validator{delegations.length === 1 ? "" : "s"}. </>}
            {undelegations.length > 0 && <>Undelegate <TokenAmount wei={sum(undelegations)} symbol={symbol} /> from {undelegations.length} validator{undelegations.length === 1 ? "" : "s"} (it unbonds for the withdrawal period and earns nothing meanwhile).</>}</>}
      </li>
    </ol>
  );
}
