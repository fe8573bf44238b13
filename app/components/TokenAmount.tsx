import { formatAmount } from "../lib/format";

/** The one place amounts (bigint wei) become text; `symbol` comes from `useNames()` (or "" / "votes"). */
export function TokenAmount({ wei, symbol, short = false, testId }: { wei?: bigint; symbol: string; short?: boolean; testId?: string }) {
  return (
    <span data-testid={testId} className="tabular-nums">
      {formatAmount(wei, short ? "short" : "full")} {symbol}
    </span>
  );
}
