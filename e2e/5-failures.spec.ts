import { expect, test } from "@playwright/test";
import { chain, guardianPause, increaseTime, shownDate } from "./chain";
import { NAMES, RPC_URL } from "./env";
import { StakePage } from "./pages/StakePage";
import { PoolSettingsAction as Action } from "../shared/protocol.generated";
import { explainError } from "../app/lib/errors";
import { injectWallet } from "./wallet";

test("a wallet on the wrong network is told so and switched to the devnet in one click", async ({ page }) => {
  const { record } = chain();
  await page.addInitScript(injectWallet, { account: record.accounts.holders[1], rpcUrl: RPC_URL });
  const app = new StakePage(page);
  await app.goto();
  await page.getByRole("button", { name: "Connect Wallet" }).click();
  await page.getByRole("button", { name: /Browser Wallet|Injected Wallet/i }).click();
  const banner = page.getByTestId("wrong-network");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("where the protocol is not deployed");
  await page.getByTestId("switch-to-31337").click();
  await expect(banner).toBeHidden();
  await expect(page.getByTestId("stake-submit")).toBeVisible();
});

test("when the RPC stops answering a banner says so within 10 s on every route, and it clears once the node is back", async ({ page }) => {
  const app = new StakePage(page);
  await app.goto();
  await expect(page.getByTestId("rpc-down-banner")).toBeHidden();
  // The node hangs: requests are neither answered nor refused (the hardest case for a client's retries).
  const hang = () => undefined;
  await page.route(`${RPC_URL}/**`, hang);
  await page.route(RPC_URL, hang);
  await expect(page.getByTestId("rpc-down-banner")).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId("rpc-down-banner")).toContainText("not answering");
  for (const route of ["/governance", "/validators", "/operator"]) {
    await page.getByRole("navigation").getByRole("link", { name: new RegExp(route.slice(1), "i") }).first().click();
    await expect(page).toHaveURL(new RegExp(`${route}$`));
    await expect(page.getByTestId("rpc-down-banner")).toBeVisible({ timeout: 10_000 });
  }
  await page.unrouteAll({ behavior: "ignoreErrors" });
  // Retry asks at once; the next probe (every 3 s) would clear the banner anyway, and on a loaded machine it
  // may do so before the click lands, so a banner already gone is not a failure.
  await page.getByTestId("rpc-down-banner").getByRole("button", { name: "Retry" }).click({ timeout: 3_000 }).catch(() => undefined);
  await expect(page.getByTestId("rpc-down-banner")).toBeHidden();
});

test("an amount below the minimum is refused by the form, which says what to fix", async ({ page }) => {
  const { record, pool, queue } = chain();
  const holder = record.accounts.holders[1];
  const before = (await queue.read.balanceOf([holder])) as bigint;
  const app = new StakePage(page);
  await app.goto();
  await app.connectLocal(holder);
  await app.submitAmount("request", "0.001"); // under the pool's 0.01 minimum, and not the whole balance
  await expect(page.getByRole("alert").filter({ hasText: `The minimum withdrawal is 0.01 ${NAMES.staked}` })).toHaveText(
    `The minimum withdrawal is 0.01 ${NAMES.staked}: enter at least 0.01, or your whole balance (Max) to leave entirely.`,
  );
  await app.submitAmount("stake", "0.001");
  await expect(page.getByRole("alert").filter({ hasText: "The minimum stake" })).toHaveText(`The minimum stake is 0.01 ${NAMES.native}: enter at least that much.`);
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0); // nothing was sent to the wallet
  expect((await queue.read.balanceOf([holder])) as bigint).toBe(before);
});

test("a reverted transaction shows its decoded custom error and changes nothing; the pause ends by itself", async ({ page }) => {
  const { record, pool, queue } = chain();
  const holder = record.accounts.holders[1];
  const before = (await queue.read.balanceOf([holder])) as bigint;
  const app = new StakePage(page);
  await app.goto();
  await app.connectLocal(holder);
  // The guardian pauses withdrawal requests while the holder has the page open.
  const until = await guardianPause(Action.Withdraw);
  await app.submitAmount("request", "1");
  const toast = page.locator("[data-sonner-toast]").filter({ hasText: "Request withdrawal failed" });
  await expect(toast).toBeVisible();
  // The toast explains the error from its NatSpec notice, with the decoded arguments, and names it.
  const explanation = explainError("StakingPool__ActionPaused", [Action.Withdraw], { ...NAMES, stakedName: "", wrappedName: "" });
  expect(explanation, "StakingPool__ActionPaused has a plain explanation").toBeTruthy();
  await expect(toast).toContainText(explanation!);
  await expect(toast).toContainText("StakingPool__ActionPaused(Withdraw)");
  expect((await queue.read.balanceOf([holder])) as bigint).toBe(before);
  await expect(page.getByTestId("paused-1")).toContainText(`Withdrawals paused until ${shownDate(until)}, by the guardian; ends by itself.`);

  // Nobody resumes it: once maxPauseDuration has passed, requests work again.
  await increaseTime(Number(await pool.read.maxPauseDuration()) + 1);
  await page.reload();
  await expect(page.getByTestId("stake-card")).toBeVisible();
  await expect(page.getByTestId("paused-1")).toBeHidden();
  await app.requestWithdrawal("1");
  expect((await queue.read.balanceOf([holder])) as bigint).toBe(before + 1n);
});
