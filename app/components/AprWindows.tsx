"use client";

import { Stat } from "./ui";
import { HISTORY_UNAVAILABLE } from "../lib/history";
import { useRateHistory } from "../lib/data";
import { formatFee, formatPercent } from "../lib/format";
import { aprCaveat } from "../lib/apr";

const WINDOWS = [7, 30];

/**
 * The APR over 7 and 30 days from the indexer's rate history, each with what it measures and, when the
 * history is shorter than the window, a warning that says so.
 */
export function AprWindows({ feeBps }: { feeBps?: bigint }) {
  const history = useRateHistory();
  const fee = feeBps !== undefined ? formatFee(feeBps) : "…";
  return (
    <div className="mt-3 grid gap-3 md:grid-cols-2">
      {history.unavailable && <p className="text-sm text-slate-500 md:col-span-2" data-testid="apr-unavailable">The APR needs the rate&apos;s history. {HISTORY_UNAVAILABLE}</p>}
      {WINDOWS.map((days) => {
        const w = history.data?.windows.find((x) => x.days === days);
        const caveat = w ? aprCaveat(w) : undefined;
        const id = days === 7 ? "apr" : `apr-${days}`;
        return (
          <div key={days} className="space-y-2">
            <Stat label={`APR (${days} days, net of the ${fee} fee)`} testId={id}>
              {history.unavailable ? "unavailable" : !w ? "…" : w.apr !== null ? formatPercent(w.apr) : "—"}
            </Stat>
            <p className="text-xs text-slate-500">
              Measured from the rate&apos;s growth over the last {days} days, after the protocol fee; past returns are not a promise.
            </p>
            {caveat && (
              <p role="status" data-testid={`${id}-warning`} className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900">{caveat}</p>
            )}
          </div>
        );
      })}
    </div>
  );
}
