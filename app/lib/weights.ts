// Target weights as the proposal editor handles them: basis points of the pool (10,000 = 100 %), keyed by
// validator id. Pure functions, so the browser and the tests use the same rules.

export const FULL_WEIGHT = 10_000;

/** `n` equal weights summing to exactly 10,000 bps (the last takes the rounding remainder). */
export function equalWeights(n: number): number[] {
  if (n === 0) return [];
  const w = Array.from({ length: n }, () => Math.floor(FULL_WEIGHT / n));
  w[n - 1] += FULL_WEIGHT - w.reduce((s, x) => s + x, 0);
  return w;
}

/**
 * Spreads what the pinned weights leave of 100 % over the others (`ids` less `pinned`), in proportion to
 * their current weights (equally when they are all 0), none above `cap`. Pinned weights are the ones a
 * person typed or dragged: they are returned unchanged. When the others cannot take the rest (none left,
 * or all at the cap) the total stays below 100 %, and when the pinned ones alone pass 100 % the others get
 * 0: the editor says so rather than changing what was typed.
 *
 * Example: ids a, b, c at 40/30/30 %, a pinned at 20 %, cap 50 %: b and c share the other 80 % as 30:30,
 * so each gets 40 %.
 */
export function spreadRest(ids: readonly string[], weights: ReadonlyMap<string, number>, pinned: ReadonlySet<string>, cap: number): Map<string, number> {
  const out = new Map<string, number>();
  let rest = FULL_WEIGHT;
  for (const id of ids) {
    if (!pinned.has(id)) continue;
    const w = weights.get(id) ?? 0;
    out.set(id, w);
    rest -= w;
  }
  let free = ids.filter((id) => !pinned.has(id));
  for (const id of free) out.set(id, 0);
  if (rest <= 0 || free.length === 0) return out;

  // Water-filling: share the rest by weight; whoever would pass the cap gets the cap and leaves the share-out.
  const basis = (id: string) => (free.every((f) => (weights.get(f) ?? 0) === 0) ? 1 : weights.get(id) ?? 0);
  for (;;) {
    const total = free.reduce((s, id) => s + basis(id), 0);
    const over = free.filter((id) => (total === 0 ? 0 : (rest * basis(id)) / total) > cap);
    if (over.length === 0) {
      for (const id of free) out.set(id, total === 0 ? 0 : Math.floor((rest * basis(id)) / total));
      break;
    }
    for (const id of over) {
      out.set(id, cap);
      rest -= cap;
    }
    free = free.filter((id) => !over.includes(id));
    if (free.length === 0 || rest <= 0) return out;
  }
  // Rounding: hand out the last basis points one at a time, largest weight first, within the cap.
  let left = FULL_WEIGHT - [...out.values()].reduce((s, w) => s + w, 0);
  const order = [...free].sort((a, b) => (out.get(b) ?? 0) - (out.get(a) ?? 0));
  for (let k = 0; left > 0 && order.some((id) => (out.get(id) ?? 0) < cap); k = (k + 1) % order.length) {
    const id = order[k];
    if ((out.get(id) ?? 0) >= cap) continue;
    out.set(id, (out.get(id) ?? 0) + 1);
    left--;
  }
  return out;
}

/**
 * Reads a percentage typed by a person ("12.5", "12,5", " 20 ") as basis points. Says what is wrong
 * instead when it is not a number, is negative, has more than two decimals, or passes `cap`.
 */
export function parsePercent(text: string, cap: number): { bps: number } | { error: string } {
  const t = text.trim().replace(",", ".");
  if (t === "") return { error: "type a percentage, e.g. 12.5" };
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(t)) return { error: `"${text}" is not a percentage: type a number such as 12.5` };
  if (/\.\d{3,}$/.test(t)) return { error: "at most two decimals (0.01 % steps)" };
  const bps = Math.round(Number(t) * 100);
  if (bps > cap) return { error: `at most ${(cap / 100).toFixed(2)} %, the cap per validator` };
  return { bps };
}
