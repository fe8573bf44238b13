// When the SFC would pay one of the pool's unbonding requests, as the pool judges it. The keeper (is a round
// due because matured requests can pay waiting withdrawals?) and the operator page (what the next round
// withdraws) both count with these functions, so the two never disagree.

/** One of the pool's SFC withdrawal requests (`StakingPool.unbondingAt`). */
export interface UnbondingView {
  validatorId: bigint;
  epoch: bigint;
  time: bigint;
}

/** The chain's clock and the SFC's withdrawal period. */
export interface WithdrawalPeriod {
  epochNow: bigint;
  now: bigint;
  periodEpochs: bigint;
  periodTime: bigint;
}

/** What else decides maturity at the request's validator. */
export interface ValidatorExit {
  /** From the SFC's `getValidator`: 0 while the validator is active. */
  deactivatedTime: bigint;
  deactivatedEpoch: bigint;
  /** The pool's book marks the validator slashed with a refund ratio of 0: its requests are not tried. */
  bookedWorthless: boolean;
}

/** A validator's exit terms from the SFC's view of it and the pool's book (`bookOf`). */
export function validatorExit(sfc: { deactivatedTime: bigint; deactivatedEpoch: bigint }, book: { slashed: boolean; refundRatio: bigint }): ValidatorExit {
  return { deactivatedTime: sfc.deactivatedTime, deactivatedEpoch: sfc.deactivatedEpoch, bookedWorthless: book.slashed && book.refundRatio === 0n };
}

/**
 * Whether the SFC would pay `u` now: the period counted from the request, or from the validator's
 * deactivation when that came first. Requests at a validator booked slashed with a refund ratio of 0 are
 * never counted: the pool does not try them until the ratio changes.
 */
export function isMatured(u: UnbondingView, p: WithdrawalPeriod, v: ValidatorExit): boolean {
  if (v.bookedWorthless) return false;
  if (p.epochNow >= u.epoch + p.periodEpochs && p.now >= u.time + p.periodTime) return true;
  if (v.deactivatedTime === 0n || v.deactivatedTime >= u.time) return false;
  return p.epochNow >= v.deactivatedEpoch + p.periodEpochs && p.now >= v.deactivatedTime + p.periodTime;
}

export type Tally = { count: number; amount: bigint };

/**
 * The pool's unbonding requests split into those the next round can withdraw, those still in the withdrawal
 * period, and those held at a validator booked slashed with a refund ratio of 0 (not tried until it changes).
 */
export function splitByMaturity(
  unbondings: readonly (UnbondingView & { amount: bigint })[],
  p: WithdrawalPeriod,
  exitOf: (validatorId: bigint) => ValidatorExit,
): { matured: Tally; waiting: Tally; held: Tally } {
  const out = { matured: { count: 0, amount: 0n }, waiting: { count: 0, amount: 0n }, held: { count: 0, amount: 0n } };
  for (const u of unbondings) {
    const exit = exitOf(u.validatorId);
    const bucket = exit.bookedWorthless ? out.held : isMatured(u, p, exit) ? out.matured : out.waiting;
    bucket.count++;
    bucket.amount += u.amount;
  }
  return out;
}
