import { HISTORY_UNAVAILABLE } from "../lib/history";

/**
 * What a history panel shows while it has nothing to draw: that the indexer does not answer, that it is
 * being asked, or `empty` when it answered with nothing yet.
 */
export function HistoryStatus({ history, empty }: { history: { unavailable: boolean; isLoading: boolean }; empty: string }) {
  if (history.unavailable) return <p className="text-sm text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>;
  return <p className="text-sm text-slate-500" data-testid="history-empty">{history.isLoading ? "Loading history…" : empty}</p>;
}
