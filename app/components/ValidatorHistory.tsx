"use client";

import { TimeChart } from "./charts";
import { stakePoints } from "./StakeSparkline";
import { HistoryStatus } from "./HistoryStatus";
import { Table } from "./ui";
import { TokenAmount } from "./TokenAmount";
import { useValidatorHistory } from "../lib/history";
import { formatBps, formatCompact, formatDate, formatDecimal, formatRatio } from "../lib/format";

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
