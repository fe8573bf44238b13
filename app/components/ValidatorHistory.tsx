"use client";

import Link from "next/link";
import { formatEther } from "viem";
import { Sparkline, TimeChart, type TimePoint } from "./charts";
import { HistoryStatus } from "./HistoryStatus";
import { Table } from "./ui";
import { TokenAmount } from "./TokenAmount";
import { useValidatorHistory, type ValidatorSnapshot } from "../lib/history";
import { formatAmount, formatBps, formatCompact, formatDate, formatDecimal, formatRatio } from "../lib/format";

/** The pool's stake at a validator after each change, in whole units of the native currency (for drawing). */
export function stakePoints(snapshots: readonly ValidatorSnapshot[]): TimePoint[] {
  return snapshots.map((s) => ({ time: Number(s.timestamp), value: Number(formatEther(BigInt(s.stake))) }));
}

/** What changed a validator's figures, as the indexer records it. */
const CAUSES: Record<string, string> = {
  delegate: "Delegated",
  undelegate: "Undelegated",
  withdrawn: "Unbonding withdrawn",
  harvest: "Rewards harvested",
  "failed-delegate": "Delegation failed",
  "failed-undelegate": "Undelegation failed",
  slashing: "Slashing booked",
  target: "Target changed",
};

/** A validator's row in the set: its stake over time as a small line that opens the validator's page. */
export function StakeSparkline({ id, snapshots, symbol }: { id: bigint; snapshots: readonly ValidatorSnapshot[] | undefined; symbol: string }) {
  const points = stakePoints(snapshots ?? []);
  const last = points.at(-1);
  return (
    <Link href={`/validators/${id}`} className="text-xs text-indigo-700 underline" data-testid={`validator-${id}-history`}>
      {last ? (
        <Sparkline points={points} testId={`validator-${id}-sparkline`} label={`Pool stake over ${points.length} change${points.length === 1 ? "" : "s"}, last ${formatAmount(BigInt(snapshots!.at(-1)!.stake))} ${symbol} on ${formatDate(last.time)}`} />
      ) : "History"}
    </Link>
  );
}

const SHOWN_CHANGES = 20;

/** One validator's pool stake over time (a chart) and its newest changes with what caused them. */
export function ValidatorHistoryPanel({ id, symbol }: { id: bigint; symbol: string }) {
  const history = useValidatorHistory(id);
  const snapshots = history.data?.snapshots ?? [];
  if (snapshots.length === 0) return <HistoryStatus history={history} empty="The pool has not staked with this validator, and its target has not changed, since the indexer started." />;
  const points = stakePoints(snapshots);
  const newest = snapshots.slice(-SHOWN_CHANGES).reverse();
  return (
    <>
      {points.length > 1 ? (
        <TimeChart points={points} step label={`Pool stake in ${symbol} over time`} formatValue={formatCompact} formatExact={(v) => `${formatDecimal(v)} ${symbol}`} testId="validator-stake-chart" />
      ) : (
        <p className="text-sm text-slate-600">One change so far: the chart starts with the second.</p>
      )}
      <h3 className="mb-2 mt-4 text-sm font-semibold text-slate-800">Newest changes</h3>
      <Table head={["When", "What", `Pool stake after (${symbol})`, "Target", "SFC commission"]} testId="validator-changes">
        {newest.map((s) => (
          <tr key={s.id} data-testid="validator-change">
            <td className="px-2 py-2 whitespace-nowrap">{formatDate(BigInt(s.timestamp))}</td>
            <td className="px-2 py-2">{CAUSES[s.cause] ?? s.cause}</td>
            <td className="px-2 py-2" data-testid="validator-change-stake"><TokenAmount wei={BigInt(s.stake)} symbol="" /></td>
            <td className="px-2 py-2">{formatBps(s.weightBps)}</td>
            <td className="px-2 py-2">{formatRatio(BigInt(s.commission))}</td>
          </tr>
        ))}
      </Table>
    </>
  );
}
