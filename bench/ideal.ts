// Reference allocators for the one-year simulation (bench/sim.ts): ledgers with perfect bookkeeping, no chain, no
// gas and no SFC request limits, fed the same deposits, withdrawal requests, rewards and events as the strategies.
// They are the yardsticks the strategies' unbonding and FTM-days not earning are read against:
//
// - `flowOnly`: sends into unbonding only what a day's owed withdrawals need beyond its idle FTM and the FTM it
//   already has unbonding; it never moves stake for any other reason (a target change, a deactivated or slashed
//   validator). This is the bound. No allocator that keeps the pool's drift goal can reach it: the
//   scenario's target changes and the two validators that stop earning force stake to move.
// - `forced`: the same, plus what any allocator keeping the pool's drift rule must move: a validator that is offline
//   or slashed is drained at once (its stake earns nothing there), and after every round no validator is more than
//   `overTargetBps` of the staked total above its target (the least undelegation that keeps that, never down to the
//   target itself; bench/sim.ts uses the pool's threshold, or less when the threshold does not meet the drift goal). Withdrawals are taken from the validators most over target first and idle FTM goes to the most
//   under target, so a target change is absorbed by the flows before anything is undelegated for it. Targets are
//   water-filled under `maxWeightBps` and the SFC room (rules 1-3 of the README), so the capacity scenario's ideal
//   allocator is this ledger with the same room filled on the same day.
//
// Both pay requests in order, each in full when idle FTM covers it (the pool's own rule), and count FTM-days not
// earning as the strategies do: idle + unbonding + stake at inactive validators after each day's round.

export interface IdealOptions {
  validators: number;
  /** Drain inactive validators and keep every validator at most `overTargetBps` of the staked total above target. */
  forced: boolean;
  overTargetBps: number;
  maxWeightBps: number;
  withdrawalPeriodDays: number;
  /** Rewards per FTM staked at an active validator per day, net of the validator's commission. */
  dailyRewardRate: number;
}

export type Cause = "withdrawals" | "drift" | "drains";

interface Unbonding {
  validator: number;
  amount: number; // FTM
  day: number;
}

export class IdealAllocator {
  stake: number[];
  weights: number[];
  active: boolean[];
  /** Most a validator can hold (stake + SFC room); Infinity until a third party fills its room. */
  limit: number[];
  /** Refund ratio of a slashed validator's stake (1 otherwise): undelegations count what the SFC is asked for. */
  refund: number[];
  idle = 0;
  unbonding: Unbonding[] = [];
  queue: number[] = []; // owed requests, oldest first (FTM)
  rewardsDue = 0;
  undelegated: Record<Cause, number> = { withdrawals: 0, drift: 0, drains: 0 };
  notEarning = { idle: 0, unbonding: 0, inactive: 0 };
  driftMax: number[] = [];

  constructor(
    readonly name: string,
    readonly o: IdealOptions,
  ) {
    this.stake = Array(o.validators).fill(0);
    this.weights = Array(o.validators).fill(10_000 / o.validators);
    this.active = Array(o.validators).fill(true);
    this.limit = Array(o.validators).fill(Infinity);
    this.refund = Array(o.validators).fill(1);
  }

  get unbonded() {
    return this.undelegated.withdrawals + this.undelegated.drift + this.undelegated.drains;
  }
  get ftmDaysNotEarning() {
    return this.notEarning.idle + this.notEarning.unbonding + this.notEarning.inactive;
  }

  /** An epoch is sealed: rewards on the stake at active validators, harvested by the next round. */
  seal() {
    this.stake.forEach((s, i) => {
      if (this.active[i]) this.rewardsDue += s * this.o.dailyRewardRate;
    });
  }
  setTargets(ids: number[], weights: number[]) {
    this.weights = this.weights.map(() => 0);
    ids.forEach((id, k) => (this.weights[id - 1] = weights[k]));
  }
  deactivate(id: number) {
    this.active[id - 1] = false;
  }
  slash(id: number, refund: number) {
    const i = id - 1;
    this.active[i] = false;
    this.refund[i] = refund;
    this.stake[i] *= refund;
    for (const u of this.unbonding) if (u.validator === i) u.amount *= refund;
  }
  /** A third party fills the validator's SFC room: it can hold what it holds now, never more. */
  fillRoom(id: number) {
    this.limit[id - 1] = this.stake[id - 1];
  }
  deposit(amount: number) {
    this.idle += amount;
  }
  request(amount: number) {
    this.queue.push(amount);
  }

  round(day: number) {
    const n = this.o.validators;
    this.idle += this.rewardsDue;
    this.rewardsDue = 0;
    const matured = this.unbonding.filter((u) => day - u.day >= this.o.withdrawalPeriodDays);
    this.unbonding = this.unbonding.filter((u) => day - u.day < this.o.withdrawalPeriodDays);
    for (const u of matured) this.idle += u.amount;
    while (this.queue.length > 0 && this.queue[0] <= this.idle) this.idle -= this.queue.shift()!;

    if (this.o.forced) {
      for (let i = 0; i < n; i++) if (!this.active[i] && this.stake[i] > 0) this.undelegate(i, this.stake[i], day, "drains");
    }
    const owed = this.queue.reduce((a, b) => a + b, 0);
    const unbonding = () => this.unbonding.reduce((a, u) => a + u.amount, 0);
    const total = Math.max(0, this.stake.reduce((a, b) => a + b, 0) + this.idle + unbonding() - owed);
    const target = this.targets(total);

    // Withdrawals not covered by idle FTM or FTM already unbonding, from the most over target first.
    const need = owed - this.idle - unbonding();
    if (need > 0) {
      const takes = level(
        this.stake.map((s, i) => s - target[i]),
        this.stake,
        need,
      );
      takes.forEach((x, i) => x > 0 && this.undelegate(i, x, day, "withdrawals"));
    }
    // Idle FTM no request is owed, to the most under target, up to target and room.
    const free = this.idle - Math.max(0, owed - unbonding());
    if (free > 0) {
      const room = this.stake.map((s, i) => (this.active[i] && this.weights[i] > 0 ? Math.max(0, Math.min(target[i], this.limit[i]) - s) : 0));
      const gives = level(
        this.stake.map((s, i) => target[i] - s),
        room,
        free,
      );
      gives.forEach((x, i) => {
        this.stake[i] += x;
        this.idle -= x;
      });
    }
    if (this.o.forced) {
      const tolerance = (total * this.o.overTargetBps) / 10_000;
      for (let i = 0; i < n; i++) {
        const over = target[i] === 0 ? this.stake[i] : this.stake[i] - target[i] - tolerance;
        if (over > 0) this.undelegate(i, over, day, "drift");
      }
    }
    this.endOfDay();
  }

  private undelegate(i: number, amount: number, day: number, cause: Cause) {
    const x = Math.min(amount, this.stake[i]);
    this.stake[i] -= x;
    this.unbonding.push({ validator: i, amount: x, day });
    // As the strategies count it: the amount the SFC is asked to undelegate, before a slashing's refund ratio.
    this.undelegated[cause] += x / this.refund[i];
  }

  /** Rules 2-3: weights renormalised over active validators, water-filled under the cap and the room. */
  targets(total: number): number[] {
    const n = this.o.validators;
    const t = Array(n).fill(0);
    const cap = (total * Math.min(this.o.maxWeightBps, 10_000)) / 10_000;
    const lim = this.limit.map((l) => Math.min(l, cap));
    const sharing = this.weights.map((w, i) => w > 0 && this.active[i]);
    let left = total;
    for (let pass = 0; pass <= n; pass++) {
      const weightLeft = this.weights.reduce((a, w, i) => (sharing[i] ? a + w : a), 0);
      if (weightLeft === 0) break;
      const held = sharing.map((s, i) => s && (left * this.weights[i]) / weightLeft >= lim[i]);
      if (!held.some(Boolean)) {
        sharing.forEach((s, i) => s && (t[i] = (left * this.weights[i]) / weightLeft));
        break;
      }
      held.forEach((h, i) => {
        if (!h) return;
        t[i] = lim[i];
        left -= lim[i];
        sharing[i] = false;
      });
    }
    return t;
  }

  /** After the round: FTM not earning, and the day's largest drift (as bench/sim.ts measures it). */
  private endOfDay() {
    const unbonding = this.unbonding.reduce((a, u) => a + u.amount, 0);
    this.notEarning.idle += this.idle;
    this.notEarning.unbonding += unbonding;
    this.notEarning.inactive += this.stake.reduce((a, s, i) => (this.active[i] ? a : a + s), 0);
    const stakeE = this.stake.reduce((a, s, i) => (this.active[i] ? a + s : a), 0);
    const weightE = this.weights.reduce((a, w, i) => (this.active[i] ? a + w : a), 0);
    let worst = 0;
    if (stakeE > 0 && weightE > 0) {
      this.stake.forEach((s, i) => {
        if (this.active[i]) worst = Math.max(worst, Math.abs(s / stakeE - this.weights[i] / weightE) * 10_000);
      });
    }
    this.driftMax.push(worst);
  }
}

/**
 * Spreads `amount` over positions so that the highest `key` comes down first (a water level): each position gets
 * `min(can, key − level)` for the one level at which the total is `amount` (or everything it can when Σcan is less).
 */
function level(key: number[], can: number[], amount: number): number[] {
  const give = (l: number) => key.map((k, i) => Math.max(0, Math.min(can[i], k - l)));
  const sum = (l: number) => give(l).reduce((a, b) => a + b, 0);
  let hi = Math.max(...key);
  let lo = Math.min(...key) - Math.max(...can, 0);
  if (sum(lo) <= amount) return give(lo);
  for (let k = 0; k < 200; k++) {
    const mid = (lo + hi) / 2;
    if (sum(mid) > amount) lo = mid;
    else hi = mid;
  }
  return give(hi);
}
