// How many steps one `process` call may take: the largest `maxSteps` whose gas estimate stays under the cap.

/**
 * The largest `n` in 1..`ceiling` for which `fits(n)` holds, assuming gas grows with `n` (a call never does
 * fewer steps when allowed more); 0 when not even one step fits. Tries the ceiling first (the rest of the
 * round in one call), then bisects: about log2(ceiling) estimates.
 */
export async function largestFitting(ceiling: number, fits: (n: number) => Promise<boolean>): Promise<number> {
  if (ceiling < 1) return 0;
  if (await fits(ceiling)) return ceiling;
  let lo = 0; // fits (vacuously)
  let hi = ceiling; // does not fit
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * The gas limit to send with: the estimate plus a margin (state may move a little between estimate and
 * inclusion), never above the cap, so no mined call can use more than the cap.
 */
export function gasLimitFor(estimate: bigint, cap: bigint, marginPercent = 15n): bigint {
  const padded = (estimate * (100n + marginPercent)) / 100n;
  return padded < cap ? padded : cap;
}
