"use client";

import { Meter } from "./ui";
import { TokenAmount } from "./TokenAmount";
import { quorumPercent, sharePercent, type Tally } from "../lib/governance";

const SIDES = [
  { key: "for", label: "For", color: "bg-emerald-500" },
  { key: "against", label: "Against", color: "bg-rose-500" },
  { key: "abstain", label: "Abstain", color: "bg-slate-400" },
] as const;

/** For, against and abstain as shares of the votes cast, each with its amount. */
export function VoteBars({ tally, symbol }: { tally: Tally; symbol: string }) {
  const cast = tally.for + tally.against + tally.abstain;
  return (
    <div className="space-y-2" data-testid="tally">
      {SIDES.map((s) => {
        const share = sharePercent(tally[s.key], cast);
        return (
          <div key={s.key} data-testid={`votes-${s.key}-row`}>
            <div className="flex flex-wrap justify-between gap-x-2 text-sm">
              <span className="font-medium">{s.label}</span>
              <span>
                <span data-testid={`votes-${s.key}-share`}>{share} %</span> · <TokenAmount wei={tally[s.key]} symbol={symbol} testId={`votes-${s.key}`} />
              </span>
            </div>
            <Meter percent={share} color={s.color} label={`${s.label}: ${share} % of the votes cast`} />
          </div>
        );
      })}
    </div>
  );
}

/** The three sides in one thin stacked bar, for a list row. */
export function MiniVoteBar({ tally }: { tally: Tally }) {
  const cast = tally.for + tally.against + tally.abstain;
  const shares = SIDES.map((s) => ({ ...s, share: sharePercent(tally[s.key], cast) }));
  return (
    <div role="img" aria-label={shares.map((s) => `${s.label} ${s.share} %`).join(", ")} className="flex h-1.5 w-full overflow-hidden rounded-full bg-slate-100">
      {shares.map((s) => <div key={s.key} className={s.color} style={{ width: `${s.share}%` }} />)}
    </div>
  );
}

/** Votes counting towards quorum (For and Abstain) against the quorum at the proposal's snapshot. */
export function QuorumProgress({ tally, quorum, symbol }: { tally: Tally; quorum: bigint; symbol: string }) {
  const percent = quorumPercent(tally, quorum);
  return (
    <div className="space-y-1" data-testid="quorum">
      <div className="flex flex-wrap justify-between gap-x-2 text-sm">
        <span className="font-medium" data-testid="quorum-percent">{percent >= 100 ? `Quorum reached (${percent} %)` : `${percent} % of quorum`}</span>
        <span className="text-slate-500">
          <TokenAmount wei={tally.for + tally.abstain} symbol="" testId="quorum-counted" /> of <TokenAmount wei={quorum} symbol={symbol} testId="quorum-needed" /> (For + Abstain)
        </span>
      </div>
      <Meter percent={percent} color={percent >= 100 ? "bg-emerald-500" : "bg-indigo-500"} label={`${percent} % of quorum`} />
    </div>
  );
}
