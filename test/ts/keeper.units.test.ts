// The keeper's pure parts, without a chain: schedule, watcher decisions, step sizing, fees, metrics, lock.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decide, Phase, type ScheduleInput } from "../../keeper/schedule.js";
import { isMatured, splitByMaturity, validatorExit } from "../../shared/schedule.js";
import { slashingsToBook, syncsNeeded, type ValidatorObservation } from "../../keeper/watcher.js";
import { ValidatorRegistryState as RegistryState } from "../../shared/protocol.generated.js";
import { gasLimitFor, largestFitting } from "../../keeper/steps.js";
import { backoffMs, bumpFees } from "../../keeper/sender.js";
import { health, newMetrics, renderPrometheus } from "../../keeper/metrics.js";
import { acquireLock } from "../../keeper/lock.js";
import { formatLine } from "../../keeper/log.js";
import { parseKeeperParams } from "../../keeper/params.js";

const NOW = 1_800_000_000;
const base: ScheduleInput = {
  now: NOW,
  lastRoundCompletedAt: NOW - 100,
  intervalSeconds: 3600,
  minGapSeconds: 60,
  phase: Phase.Idle,
  pendingWithdrawals: 0n,
  nextRequestPayable: false,
  maturedUnbondings: 0,
  paused: false,
  pausedUntil: 0,
  isOperator: true,
  keeperGracePeriod: 86400,
  otherKeeperActive: false,
};

describe("keeper schedule", () => {
  it("waits for the interval when nothing is owed", () => {
    const d = decide(base);
    assert.equal(d.due, false);
    assert.equal(d.run, false);
    assert.match(d.reason, /next round by schedule/);
  });
  it("runs once the interval has passed", () => {
    assert.equal(decide({ ...base, lastRoundCompletedAt: NOW - 3600 }).run, true);
  });
  it("runs at once when withdrawals wait and idle FTM or matured unbonding can pay them", () => {
    assert.equal(decide({ ...base, pendingWithdrawals: 5n, nextRequestPayable: true }).run, true);
    assert.equal(decide({ ...base, pendingWithdrawals: 5n, maturedUnbondings: 1 }).run, true);
    assert.equal(decide({ ...base, pendingWithdrawals: 5n }).run, false, "nothing can pay them yet");
    assert.equal(decide({ ...base, pendingWithdrawals: 5n, nextRequestPayable: true, lastRoundCompletedAt: NOW - 10 }).run, false, "not again within the minimum gap");
  });
  it("always carries on a half-done round", () => {
    assert.equal(decide({ ...base, phase: Phase.Rebalance, lastRoundCompletedAt: NOW }).run, true);
  });
  it("without the operator role waits until the grace period has passed, and says why", () => {
    const early = decide({ ...base, lastRoundCompletedAt: NOW - 3600, isOperator: false });
    assert.equal(early.run, false);
    assert.match(early.wait!, /not an operator; anyone may process from/);
    assert.equal(decide({ ...base, lastRoundCompletedAt: NOW - 86400, isOperator: false }).run, true);
  });
  it("waits while processing is paused or another keeper is active", () => {
    assert.match(decide({ ...base, lastRoundCompletedAt: 0, paused: true, pausedUntil: NOW + 5 }).wait!, /paused/);
    assert.match(decide({ ...base, lastRoundCompletedAt: 0, otherKeeperActive: true }).wait!, /another keeper/);
  });
  it("counts an SFC request as matured after the period, or after the period from an earlier deactivation", () => {
    const p = { epochNow: 10n, now: 1000n, periodEpochs: 3n, periodTime: 100n };
    const healthy = { deactivatedTime: 0n, deactivatedEpoch: 0n, bookedWorthless: false };
    assert.equal(isMatured({ validatorId: 1n, epoch: 7n, time: 900n }, p, healthy), true);
    assert.equal(isMatured({ validatorId: 1n, epoch: 8n, time: 900n }, p, healthy), false);
    assert.equal(isMatured({ validatorId: 1n, epoch: 9n, time: 950n }, p, { deactivatedTime: 800n, deactivatedEpoch: 6n, bookedWorthless: false }), true);
    assert.equal(isMatured({ validatorId: 1n, epoch: 7n, time: 900n }, p, { ...healthy, bookedWorthless: true }), false);
  });
  it("splits SFC requests into matured, in the period, and held at a validator booked slashed with a refund ratio of 0", () => {
    const p = { epochNow: 10n, now: 1000n, periodEpochs: 3n, periodTime: 100n };
    const sfc = { deactivatedTime: 0n, deactivatedEpoch: 0n };
    assert.equal(validatorExit(sfc, { slashed: true, refundRatio: 0n }).bookedWorthless, true);
    assert.equal(validatorExit(sfc, { slashed: true, refundRatio: 5n * 10n ** 17n }).bookedWorthless, false);
    assert.equal(validatorExit(sfc, { slashed: false, refundRatio: 0n }).bookedWorthless, false);
    const exits = new Map([[1n, validatorExit(sfc, { slashed: false, refundRatio: 0n })], [2n, validatorExit(sfc, { slashed: true, refundRatio: 0n })]]);
    const split = splitByMaturity(
      [
        { validatorId: 1n, epoch: 7n, time: 900n, amount: 5n },
        { validatorId: 1n, epoch: 9n, time: 950n, amount: 7n },
        { validatorId: 2n, epoch: 1n, time: 100n, amount: 11n },
      ],
      p,
      (id) => exits.get(id)!,
    );
    assert.deepEqual(split, { matured: { count: 1, amount: 5n }, waiting: { count: 1, amount: 7n }, held: { count: 1, amount: 11n } });
  });
});

const obs = (o: Partial<ValidatorObservation>): ValidatorObservation => ({
  id: 1n,
  book: { stakeRaw: 10n, unbondingRaw: 0n, slashed: false, refundRatio: 0n },
  sfcSlashed: false,
  sfcRefundRatio: 0n,
  status: 0n,
  deactivatedTime: 0n,
  deactivatedEpoch: 0n,
  registryState: RegistryState.Active,
  ...o,
});

describe("keeper SFC watcher", () => {
  it("books a slashing where the pool has a position and the books do not show it yet", () => {
    assert.deepEqual(slashingsToBook([obs({ sfcSlashed: true, status: 128n })]), [1n]);
    assert.deepEqual(slashingsToBook([obs({ sfcSlashed: true, book: { stakeRaw: 0n, unbondingRaw: 0n, slashed: false, refundRatio: 0n } })]), [], "no position");
    assert.deepEqual(slashingsToBook([obs({ sfcSlashed: true, book: { stakeRaw: 10n, unbondingRaw: 0n, slashed: true, refundRatio: 0n } })]), [], "already booked");
    const raised = obs({ sfcSlashed: true, sfcRefundRatio: 5n * 10n ** 17n, book: { stakeRaw: 0n, unbondingRaw: 9n, slashed: true, refundRatio: 0n } });
    assert.deepEqual(slashingsToBook([raised]), [1n], "the refund ratio changed");
    const above = obs({ sfcSlashed: true, sfcRefundRatio: 2n * 10n ** 18n, book: { stakeRaw: 1n, unbondingRaw: 0n, slashed: true, refundRatio: 10n ** 18n } });
    assert.deepEqual(slashingsToBook([above]), [], "a ratio above a full refund is booked as a full refund");
  });
  it("syncs a deactivated set member, and one that recovered", () => {
    assert.deepEqual(syncsNeeded([obs({ status: 8n })]), [1n]);
    assert.deepEqual(syncsNeeded([obs({ status: 8n, registryState: RegistryState.Ineligible })]), []);
    assert.deepEqual(syncsNeeded([obs({ registryState: RegistryState.Ineligible })]), [1n]);
    assert.deepEqual(syncsNeeded([obs({ status: 8n, registryState: undefined })]), [], "not in the set");
  });
});

describe("keeper step sizing and fees", () => {
  it("finds the largest maxSteps under the cap by bisection", async () => {
    const gas = (n: number) => 100_000 + 37_000 * n;
    for (const cap of [136_999, 137_000, 500_000, 1_000_000, 10_000_000]) {
      const tried: number[] = [];
      const n = await largestFitting(1000, async (k) => (tried.push(k), gas(k) <= cap));
      const expected = Math.min(1000, Math.max(0, Math.floor((cap - 100_000) / 37_000)));
      assert.equal(n, expected, `cap ${cap}`);
      assert.ok(tried.length <= 11, `${tried.length} estimates`);
    }
  });
  it("never gives a call a gas limit above the cap", () => {
    assert.equal(gasLimitFor(1_000_000n, 10_000_000n), 1_150_000n);
    assert.equal(gasLimitFor(9_500_000n, 10_000_000n), 10_000_000n);
  });
  it("raises fees enough for a replacement and backs off exponentially", () => {
    assert.deepEqual(bumpFees({ maxFeePerGas: 100n, maxPriorityFeePerGas: 10n }, 25n), { maxFeePerGas: 125n, maxPriorityFeePerGas: 13n });
    assert.deepEqual(bumpFees({ gasPrice: 7n }, 10n), { gasPrice: 8n });
    assert.deepEqual([0, 1, 2, 3, 10].map((a) => backoffMs(a, 250, 8000)), [250, 500, 1000, 2000, 8000]);
  });
});

describe("keeper metrics, logs, lock and parameters", () => {
  it("renders Prometheus text with the unplaceable gauge only when the pool reports it", () => {
    const m = { ...newMetrics(), roundsCompleted: 3, gasSpent: 12_345n, pendingWithdrawalsWei: 10n ** 18n };
    const text = renderPrometheus(m);
    assert.match(text, /^# TYPE keeper_rounds_completed_total counter\nkeeper_rounds_completed_total 3$/m);
    assert.match(text, /^keeper_gas_spent_total 12345$/m);
    assert.match(text, /^keeper_pending_withdrawals_wei 1000000000000000000$/m);
    assert.doesNotMatch(text, /keeper_unplaceable_wei/);
    assert.match(renderPrometheus({ ...m, unplaceableWei: 5n }), /^keeper_unplaceable_wei 5$/m);
  });
  it("is healthy only with a recent complete round and a recent look at the chain", () => {
    const m = { ...newMetrics(), lastCompleteRoundTimestamp: NOW - 100, lastTickAt: NOW - 5, chainTimeAtTick: NOW - 5 };
    assert.equal(health(m, NOW, 3600, 60).ok, true);
    assert.equal(health(m, NOW, 3600, 60).lagSeconds, 100);
    assert.equal(health(m, NOW, 50, 60).ok, false);
    assert.equal(health({ ...m, lastTickAt: NOW - 600 }, NOW, 3600, 60).ok, false);
    const ahead = { ...m, chainTimeAtTick: NOW + 20_000, lastCompleteRoundTimestamp: NOW + 19_990 };
    assert.equal(health(ahead, NOW, 3600, 60).lagSeconds, 15, "lag in chain time, whatever the wall clock says");
  });
  it("writes one JSON line per action with amounts as strings", () => {
    const line = formatLine("process", { tx: "0xab", gas: 21000n, steps: 3 }, new Date(0));
    assert.deepEqual(JSON.parse(line), { time: "1970-01-01T00:00:00.000Z", action: "process", tx: "0xab", gas: "21000", steps: 3 });
  });
  it("lets one keeper hold the lock and takes over a stale one", () => {
    const dir = mkdtempSync(join(tmpdir(), "keeper-lock-"));
    const path = join(dir, "keeper.lock");
    const first = acquireLock(path);
    assert.ok("release" in first);
    const second = acquireLock(path);
    assert.deepEqual(second, { heldBy: process.pid });
    first.release();
    assert.ok("release" in acquireLock(path));
    writeFileSync(path, "999999999\n"); // no such process
    const third = acquireLock(path);
    assert.ok("release" in third, "a lock of a dead process is taken over");
    third.release();
  });
  it("reads keeperIntervalSeconds and refuses a bad one", () => {
    assert.deepEqual(parseKeeperParams({ keeperIntervalSeconds: 10 }), { keeperIntervalSeconds: 10 });
    assert.throws(() => parseKeeperParams({}), /keeperIntervalSeconds/);
    assert.throws(() => parseKeeperParams({ keeperIntervalSeconds: 0.5 }), /keeperIntervalSeconds/);
  });
});
