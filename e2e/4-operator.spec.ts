import { expect, test, type Page } from "@playwright/test";
import { parseEther } from "viem";
import { chain, driftBps, guardianPause, increaseTime, letWithdrawalPeriodPass, sealEpoch, send, shownDate } from "./chain";
import { AppPage } from "./pages/AppPage";
import { PoolSettingsAction as Action } from "../shared/protocol.generated";

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
