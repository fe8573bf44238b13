// When a round is due and whether this keeper may run it now: pure functions of what the chain shows. Whether an
// SFC request has matured is shared with the operator page: ../shared/schedule.ts.

import { StakingPoolPhase as Phase, StakingPoolPhaseNames } from "../shared/protocol.generated.js";

/** `StakingPool.Phase`: a round is in progress whenever the phase is not Idle. */
export { Phase };
export const phaseName = (p: number): string => StakingPoolPhaseNames[p] ?? String(p);

export interface ScheduleInput {
  /** Block timestamp (seconds). */
  now: number;
  lastRoundCompletedAt: number;
  intervalSeconds: number;
  /** A round started by a withdrawal waiting is not started again sooner than this after the last one. */
  minGapSeconds: number;
  phase: number;
  pendingWithdrawals: bigint;
  /** Idle liquidity covers the oldest pending request. */
  nextRequestPayable: boolean;
  /** SFC requests of the pool that the SFC would pay now. */
  maturedUnbondings: number;
  paused: boolean;
  pausedUntil: number;
  isOperator: boolean;
  keeperGracePeriod: number;
  /** Another address called `process` in the last few blocks. */
  otherKeeperActive: boolean;
}

export interface Decision {
  /** Send `process` now. */
  run: boolean;
  /** A round is owed (by the schedule, by waiting withdrawals, or one is half done). */
  due: boolean;
  /** Why it is due, or when it will be. */
  reason: string;
  /** Why a due round is not run now. */
  wait?: string;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/** Whether a round is due now and whether this keeper may run it; every "no" says why. */
export function decide(i: ScheduleInput): Decision {
  const sinceLast = i.now - i.lastRoundCompletedAt;
  let due = true;
  let reason: string;
  if (i.phase !== Phase.Idle) reason = `a round is half done (phase ${phaseName(i.phase)})`;
  else if (sinceLast >= i.intervalSeconds) reason = `schedule: ${sinceLast} s since the last complete round (interval ${i.intervalSeconds} s)`;
  else if (i.pendingWithdrawals > 0n && (i.nextRequestPayable || i.maturedUnbondings > 0) && sinceLast >= i.minGapSeconds) {
    reason = i.nextRequestPayable
      ? `withdrawals waiting (${i.pendingWithdrawals} wei) and idle liquidity can pay the oldest`
      : `withdrawals waiting (${i.pendingWithdrawals} wei) and ${i.maturedUnbondings} matured SFC request(s) can pay them`;
  } else {
    due = false;
    reason = `next round by schedule at ${iso(i.lastRoundCompletedAt + i.intervalSeconds)}`;
  }
  if (!due) return { run: false, due, reason };
  if (i.paused) return { run: false, due, reason, wait: `processing is paused until ${iso(i.pausedUntil)}` };
  if (i.otherKeeperActive) return { run: false, due, reason, wait: "another keeper called process in the last blocks; backing off" };
  if (!i.isOperator) {
    const openAt = i.lastRoundCompletedAt + i.keeperGracePeriod;
    if (i.now < openAt) return { run: false, due, reason, wait: `this account is not an operator; anyone may process from ${iso(openAt)} (grace period ${i.keeperGracePeriod} s)` };
  }
  return { run: true, due, reason };
}
