// APR from two rate points: the rate's growth between them, annualised. The rate is already net of the
// protocol fee (the fee is minted as new shares), so this is what holders earn.
const YEAR = 365n * 86_400n;
const SCALE = 10n ** 12n;

export type RateAt = { timestamp: bigint; rate: bigint };

/** The APR between `from` and `to` as a fraction (0.05 = 5 %), and whether they span the whole window. */
export function aprOver(from: RateAt, to: RateAt, days: number) {
  const covered = to.timestamp - from.timestamp;
  const base = { fromTime: from.timestamp, toTime: to.timestamp, coveredSeconds: Number(covered), complete: covered >= BigInt(days * 86_400) };
  if (covered <= 0n || from.rate === 0n) return { ...base, apr: null };
  const growth = ((to.rate - from.rate) * SCALE * YEAR) / (from.rate * covered);
  return { ...base, apr: Number(growth) / Number(SCALE) };
}
