import { expect, test, type Page } from "@playwright/test";
import { formatEther, parseEther } from "viem";
import { chain, driftBps, guardianPause, increaseTime, indexerHistory, letWithdrawalPeriodPass, poolEvents, runKeeperRound, sealEpoch, send, shownDate } from "./chain";
import { AppPage } from "./pages/AppPage";
import { PoolSettingsAction as Action, StakingPoolPhase as Phase } from "../shared/protocol.generated";
import type { KeeperRound, ValidatorSnapshot } from "../app/lib/history";
import { formatAmount } from "../app/lib/format";

/** A round as the indexer serves it, with its calls. */
type IndexedRound = KeeperRound & { callList: { caller: string; txHash: string }[] };

const totalDrift = async () => (await driftBps()).reduce((s, v) => s + v.drift, 0);

/** The largest gap, in percentage points, between a validator's current and target bar in the chart. */
async function chartGap(page: Page) {
  const bars = page.getByTestId("distribution-bar");
  await expect(bars.first()).toBeVisible();
  const gaps = await bars.evaluateAll((els) => els.map((el) => Math.abs(Number(el.getAttribute("data-current")) - Number(el.getAttribute("data-target")))));
  return Math.max(...gaps);
}

test("an operator previews the planned moves, executes process, and the distribution reaches the targets", async ({ page }) => {
  const { record, pool } = chain();
  // New stake waits in idle liquidity until a keeper round delegates it; an epoch leaves rewards to harvest.
  await sealEpoch("50");
  await send(record.accounts.holders[2], pool.address, pool.abi, "stake", [record.accounts.holders[2]], parseEther("2000"));
  const idleBefore = (await pool.read.idleLiquidity()) as bigint;
  expect(idleBefore).toBeGreaterThanOrEqual(parseEther("2000"));
  const planned = (await pool.read.previewProcess()) as readonly { validatorId: bigint; isDelegate: boolean; amount: bigint }[];
  expect(planned.length).toBeGreaterThan(0);
  const driftBefore = await totalDrift();

  const app = new AppPage(page);
  await app.open("/operator");
  await app.connectLocal(record.accounts.operator);
  await expect(page.getByText("You hold the operator role")).toBeVisible();
  const rows = page.getByTestId("moves-table").locator("tbody tr");
  await expect(rows).toHaveCount(planned.length);
  await expect(rows.filter({ hasText: "Delegate" }).first()).toBeVisible();
  await expect(page.getByTestId("distribution-chart")).toBeVisible();
  const gapBefore = await chartGap(page);

  await page.getByTestId("max-steps").fill("0");
  await expect(page.getByText("Enter a whole number of steps, at least 1")).toBeVisible();
  await expect(page.getByTestId("process-submit")).toBeDisabled();
  // The preview lists the whole round, not only the moves: the epoch's rewards to harvest come first.
  await expect(page.getByTestId("outlook-harvest")).toContainText("of rewards from");
  await expect(page.getByTestId("outlook-moves")).toContainText("Delegate");

  // A call too small for the round stops part-way, and the page says so and offers to run again.
  await page.getByTestId("max-steps").fill("1");
  await page.getByTestId("process-submit").click();
  await app.confirmed("Process");
  await expect(page.getByTestId("last-call")).toContainText("took 1 step and stopped in the");
  await expect(page.getByTestId("last-call")).toContainText("the round is not finished. Run again to go on.");
  await expect(page.getByTestId("round-unfinished")).toBeVisible();
  await expect(page.getByTestId("process-submit")).toHaveText("Run again");
  await page.getByTestId("max-steps").fill("500");
  await page.getByTestId("process-submit").click();
  await app.confirmed("Process");
  await expect(page.getByTestId("last-call")).toContainText("and completed the round.");
  await expect(page.getByTestId("round-unfinished")).toBeHidden();

  // The idle FTM is delegated and the pool is closer to its targets.
  expect((await pool.read.idleLiquidity()) as bigint).toBeLessThan(idleBefore / 100n);
  expect(await totalDrift()).toBeLessThan(driftBefore);

  // The round harvested the epoch's rewards: they vest into the rate, and the page says so and until when.
  const [unvested, vestingEnd] = (await pool.read.vestingRewards()) as readonly [bigint, bigint];
  expect(unvested).toBeGreaterThan(0n);
  await expect(page.getByTestId("vesting")).toContainText(`of harvested rewards still vesting; the last of them vests on ${shownDate(vestingEnd)}.`);
  await expect(page.getByTestId("vesting-card")).toContainText("Harvested rewards enter the rate gradually, over 24 hours, so nobody can stake just before a harvest and take them.");

  // The guardian pauses staking: the page shows until when, and that the pause ends by itself.
  await expect(page.getByTestId("pause-0")).toHaveText("Staking: running.");
  const until = await guardianPause(Action.Stake);
  const [, cooldownUntil] = (await pool.read.pauseWindow([0])) as readonly [bigint, bigint];
  await expect(page.getByTestId("pause-0")).toHaveText(`Staking paused until ${shownDate(until)}, by the guardian; ends by itself. The guardian may pause staking again from ${shownDate(cooldownUntil)}.`);
  await expect(page.getByTestId("pause-1")).toHaveText("Withdrawals: running.");
  await expect(page.getByTestId("pause-2")).toHaveText("Keeper rounds: running.");

  // Once its end has passed the pause is over by itself; its cooldown is not.
  const { publicClient } = chain();
  await increaseTime(Number(until - (await publicClient.getBlock()).timestamp) + 1);
  await page.reload();
  expect(await pool.read.isPaused([0])).toBe(false);
  await expect(page.getByTestId("pause-0")).toHaveText(`Staking: running. The guardian may pause staking again from ${shownDate(cooldownUntil)}.`);

  // Stake the round sent into unbonding returns after the withdrawal period (7 days on Opera, 14 on Sonic,
  // which also outlasts the cooldown); the next round places it, and the harvested rewards have vested.
  await letWithdrawalPeriodPass();
  await page.reload();
  const cooling = (await publicClient.getBlock()).timestamp < cooldownUntil;
  await expect(page.getByTestId("pause-0")).toHaveText(cooling ? `Staking: running. The guardian may pause staking again from ${shownDate(cooldownUntil)}.` : "Staking: running.");
  await expect(page.getByTestId("vesting")).toHaveText("No rewards vesting: every harvested reward is in the rate.");
  await expect(page.getByTestId("process-submit")).toBeEnabled();
  await page.getByTestId("process-submit").click();
  await app.confirmed("Process");
  for (const v of await driftBps()) expect(v.drift, `validator ${v.id}: ${v.currentBps} bps vs target ${v.targetBps}`).toBeLessThanOrEqual(50);
  await expect(page.getByTestId("outlook-moves")).toHaveText("No moves: the stake is on target.");
  // The chart shows the same: every validator's bar within half a point of its target.
  await expect.poll(() => chartGap(page)).toBeLessThanOrEqual(0.5);
  expect(gapBefore).toBeGreaterThan(0.5);

});

test("the operator page lists the keeper rounds as the indexer holds them, and the validators page draws a moved validator's stake over time", async ({ page }) => {
  const { record, pool, publicClient } = chain();
  const operator = record.accounts.operator.toLowerCase();
  expect(Number(((await pool.read.round()) as readonly [number])[0])).toBe(Phase.Idle); // the next call starts a round
  const fromBlock = (await publicClient.getBlockNumber()) + 1n;
  // A deposit for the round to delegate: it changes the stake of the validators furthest under target.
  await send(record.accounts.holders[2], pool.address, pool.abi, "stake", [record.accounts.holders[2]], parseEther("800"));
  await runKeeperRound();
  const calls = await poolEvents<{ caller: string }>("Processed", fromBlock);
  const delegations = await poolEvents<{ validatorId: bigint; amount: bigint }>("Delegated", fromBlock);
  expect(calls.length).toBeGreaterThan(0);
  expect(delegations.length).toBeGreaterThan(0);

  // The indexer follows a few blocks behind the chain: wait until it holds every call this round made.
  const hashes = calls.map((c) => c.transactionHash);
  let rounds: IndexedRound[] = [];
  await expect.poll(async () => {
    rounds = (await indexerHistory<{ rounds: IndexedRound[] }>("/history/rounds?limit=10")).rounds;
    const indexed = new Set(rounds.flatMap((r) => r.callList.map((c) => c.txHash)));
    return hashes.every((h) => indexed.has(h));
  }, { timeout: 60_000 }).toBe(true);
  // It holds them as the chain does: one round of exactly these calls, all by the operator, completed by the
  // last one, with what the Delegated events moved.
  const ours = rounds.find((r) => r.callList.some((c) => c.txHash === hashes[0]))!;
  expect(ours.callList.map((c) => c.txHash)).toEqual(hashes);
  expect(ours.calls).toBe(hashes.length);
  expect(ours.callers.map((c) => c.toLowerCase())).toEqual([operator]);
  const lastBlock = await publicClient.getBlock({ blockNumber: calls.at(-1)!.blockNumber });
  expect(ours.completedAt).toBe(String(lastBlock.timestamp));
  expect(BigInt(ours.delegated)).toBe(delegations.reduce((sum, d) => sum + d.args.amount, 0n));

  // The page lists the indexer's newest rounds, newest first, with their calls, callers and completion.
  const app = new AppPage(page);
  await app.open("/operator");
  const rows = page.getByTestId("rounds-table").locator("tbody tr");
  await expect(rows).toHaveCount(rounds.length);
  await expect(rows.first()).toHaveAttribute("data-testid", `round-${rounds[0].id}`);
  expect(rounds[0].id).toBe(ours.id);
  for (const r of rounds) {
    await expect(page.getByTestId(`round-${r.id}-calls`)).toHaveText(String(r.calls));
    await expect(page.getByTestId(`round-${r.id}-moves`)).toHaveText(String(r.moves));
    await expect(page.getByTestId(`round-${r.id}-completed`)).toHaveText(r.completedAt ? shownDate(BigInt(r.completedAt)) : "unfinished");
    const shownCallers = await page.getByTestId(`round-${r.id}-callers`).locator("[data-address]").evaluateAll((els) => els.map((el) => el.getAttribute("data-address")));
    expect(shownCallers).toEqual(r.callers);
  }

  // One validator this round delegated to: the indexer's snapshots end at the stake the pool books there.
  const id = delegations[0].args.validatorId;
  const stake = (await pool.read.stakeOf([id])) as bigint;
  let recent: ValidatorSnapshot[] = [];
  await expect.poll(async () => {
    recent = (await indexerHistory<{ snapshots: ValidatorSnapshot[] }>(`/history/validators/${id}?limit=50`)).snapshots;
    return recent.at(-1)?.stake;
  }, { timeout: 60_000 }).toBe(String(stake));
  expect(recent.some((s) => s.cause === "delegate" && s.blockNumber === String(delegations[0].blockNumber))).toBe(true);

  // The validators page draws them in the validator's row, ending at that stake.
  await app.open("/validators");
  const line = page.getByTestId(`validator-${id}-sparkline`);
  await expect(line).toHaveAttribute("data-points", String(recent.length));
  expect(Number(await line.getAttribute("data-last"))).toBe(Number(formatEther(stake)));

  // The line opens the validator's page: the chart of every change and the newest ones, latest first.
  const all = (await indexerHistory<{ snapshots: ValidatorSnapshot[] }>(`/history/validators/${id}`)).snapshots;
  await page.getByTestId(`validator-${id}-history`).click();
  await expect(page).toHaveURL(new RegExp(`/validators/${id}$`));
  await expect(page.getByTestId("validator-change")).toHaveCount(Math.min(all.length, 20));
  await expect(page.getByTestId("validator-change-stake").first()).toContainText(formatAmount(stake));
  if (all.length > 1) await expect(page.getByTestId("validator-stake-chart")).toBeVisible();
});
