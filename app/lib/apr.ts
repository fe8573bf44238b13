// How the app qualifies an APR window from the indexer (/history/rate): a figure over less history than its
// window says more about one reward than about the pool, so it comes with a warning.
import type { AprWindow } from "./history";
import { formatSpan } from "./format";

/** Why a window's figure should not be trusted yet; undefined when it covers the whole window. */
export function aprCaveat(w: Pick<AprWindow, "apr" | "coveredSeconds" | "complete">): string | undefined {
  if (w.complete) return undefined;
  if (w.apr === null) return "No rate history yet: the APR needs the rate at two different times.";
  return `Only ${formatSpan(w.coveredSeconds)} of history: too short to mean anything.`;
}
