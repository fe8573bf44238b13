"use client";

// The validator set's column of stake lines, apart from ValidatorHistory.tsx (a validator's own page) so that
// the set's page does not carry that page's chart and table.
import Link from "next/link";
import { formatEther } from "viem";
import { Sparkline } from "./Sparkline";
import type { TimePoint } from "./chartLine";
import type { ValidatorSnapshot } from "../lib/history";
import { formatAmount, formatDate } from "../lib/format";

/** The pool's stake at a validator after each change, in whole units of the native currency (for drawing). */
export function stakePoints(snapshots: readonly ValidatorSnapshot[]): TimePoint[] {
  return snapshots.map((s) => ({ time: Number(s.timestamp), value: Number(formatEther(BigInt(s.stake))) }));
}

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
