import { expect, test, type Page } from "@playwright/test";
import { formatEther, parseEther, type Address } from "viem";
import { WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated";
import { chain, letWithdrawalPeriodPass, runKeeperRound, send, shownDate, withdrawalTerms } from "./chain";
import { APP_URL, INDEXER_URL, NAMES, RPC_URL, WITHDRAWAL_DAYS } from "./env";
import { StakePage } from "./pages/StakePage";
import { injectWallet, type WatchedAssets } from "./wallet";
import { HISTORY_UNAVAILABLE } from "../app/lib/history";
import { formatAmount, formatPercent, formatSpan } from "../app/lib/format";

// The holder's screens: what the stake and unstake forms preview (against the pool's own figures), adding
// the tokens to a wallet, the APR over its two windows (against the indexer's answer), every form's refusal
// sentence before a wallet opens, and the holder's history after a stake, a request, receipts moving and a claim.

type AprWindow = { days: number; apr: number | null; coveredSeconds: number; complete: boolean };
/** The indexer's APR windows; none while it is still starting (it starts after the app's build). */
async function aprWindows(): Promise<AprWindow[]> {
  try {
    return ((await (await fetch(`${INDEXER_URL}/history/rate?limit=1`)).json()) as { apr: AprWindow[] }).apr;
  } catch {
    return [];
  }
}

/** The number a preview line shows ("≈ 12.5 stS" → 12.5). */
const shownNumber = async (page: Page, testId: string) => Number((await page.getByTestId(testId).innerText()).replace(/[^\d.]/g, ""));

/**
 * A figure the page priced at the rate it read on load, against the chain's now: equal but for the four
 * decimals shown and the rewards that vested into the rate in between (well under 0.1 %).
 */
function expectClose(shown: number, expected: number) {
  expect(Math.abs(shown - expected) / expected, `shown ${shown}, on the chain ${expected}`).toBeLessThan(1e-3);
}

/** When the app should say a withdrawal of `amount` requested now is paid, from the pool's idle liquidity and the chain's clock. */
async function expectedPayout(amount: bigint) {
  const { pool, publicClient } = chain();
  const idle = (await pool.read.idleLiquidity()) as bigint;
  const owed = (await pool.read.pendingWithdrawals()) as bigint;
  if (idle > owed && idle - owed >= amount) return `by the next keeper round: the pool's idle ${NAMES.native} covers it`;
  const [period, grace] = await withdrawalTerms();
  const now = Number((await publicClient.getBlock()).timestamp);
  return `by ${shownDate(now + period + grace)} at the latest: idle ${NAMES.native} does not cover it, so it waits for the ${WITHDRAWAL_DAYS}-day withdrawal period plus at most one round`;
}

/** What `call` costs `account` in gas at the node's current gas price (native wei). */
async function gasCost(account: Address, address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[], value?: bigint) {
  const { publicClient } = chain();
  const gas = await publicClient.estimateContractGas({ account, address, abi, functionName, args, value } as never);
  return Number(formatEther(gas * (await publicClient.getGasPrice())));
}

/** The stake page, with the local wallet acting as `holder`. */
async function stakePageAs(page: Page, holder: Address) {
  const app = new StakePage(page);
  await app.goto();
  await app.connectLocal(holder);
  return app;
}

/** A shown gas cost (two significant digits) matches the node's estimate. */
async function expectGas(page: Page, testId: string, expected: number) {
  await expect(page.getByTestId(testId)).toHaveText(new RegExp(`^≈ [\\d.]+ ${NAMES.native}$`));
  const shown = await shownNumber(page, testId);
  expect(Math.abs(shown - expected) / expected, `gas shown ${shown}, estimated ${expected}`).toBeLessThan(0.1);
}

test("the overview shows the APR over 7 and 30 days with the indexer's figures, and warns while the history is shorter than the window", async ({ page }) => {
  const { pool } = chain();
  const app = new StakePage(page);
  await app.open("/");
  const fee = `${Number(await pool.read.feeBps()) / 100} %`;
  const id = (days: number) => (days === 7 ? "apr" : `apr-${days}`);
  // The app and the test ask the indexer on their own schedules: wait until both see the same figures.
  let windows: AprWindow[] = [];
  await expect.poll(async () => {
    windows = await aprWindows();
    const shown = await Promise.all(windows.map((w) => page.getByTestId(id(w.days)).innerText()));
    return windows.length > 0 && windows.map((w) => (w.apr === null ? "—" : formatPercent(w.apr))).join(" | ") === shown.join(" | ");
  }, { timeout: 60_000 }).toBe(true);
  expect(windows.map((w) => w.days)).toEqual([7, 30]);
  // The devnet's history is hours or days old, not a month: at least the 30-day window is incomplete.
  expect(windows.find((w) => w.days === 30)!.complete).toBe(false);
  for (const w of windows) {
    const card = page.getByTestId(id(w.days)).locator("xpath=../..");
    await expect(card).toContainText(`APR (${w.days} days, net of the ${fee} fee)`);
    await expect(card).toContainText(`Measured from the rate's growth over the last ${w.days} days, after the protocol fee; past returns are not a promise.`);
    const warning = page.getByTestId(`${id(w.days)}-warning`);
    if (w.complete) await expect(warning).toHaveCount(0);
    else if (w.apr === null) await expect(warning).toHaveText("No rate history yet: the APR needs the rate at two different times.");
    else await expect(warning).toHaveText(`Only ${formatSpan(w.coveredSeconds)} of history: too short to mean anything.`);
  }
});

test("the stake form previews what a stake gives at the pool's rate and fee, its gas and when a withdrawal of it is paid", async ({ page }) => {
  const { record, pool, stFTM } = chain();
  const holder = record.accounts.holders[1] as Address;
  const app = await stakePageAs(page, holder);
  await expect(page.getByTestId("stake-preview")).toHaveCount(0); // nothing typed, nothing previewed

  const amount = parseEther("12.5");
  await page.getByTestId("stake-amount").fill("12.5");
  // stS received: the shares the pool mints for it at this second's rate, valued back at that rate.
  const staked = (await stFTM.read.amountForShares([(await pool.read.sharesForAmount([amount])) as bigint])) as bigint;
  await expect(app.preview("stake", "receive")).toHaveText(`≈ ${formatAmount(staked)} ${NAMES.staked}`);
  const rate = Number(formatEther((await pool.read.getRate()) as bigint));
  expectClose(await shownNumber(page, "stake-preview-rate"), rate);
  await expect(app.preview("stake", "rate")).toHaveText(new RegExp(` ${NAMES.native}$`));
  await expect(app.preview("stake", "fee")).toHaveText(`${Number(await pool.read.feeBps()) / 100} %`);
  await expectGas(page, "stake-preview-gas", await gasCost(holder, pool.address, pool.abi, "stake", [holder], amount));
  await expect(app.preview("stake", "payout")).toHaveText(await expectedPayout(amount));

  // Stake and wrap gives the shares themselves as wstS, and costs the wrapper's gas.
  await page.getByTestId("stake-wrap").check();
  const shares = (await pool.read.sharesForAmount([amount])) as bigint;
  expectClose(await shownNumber(page, "stake-preview-receive"), Number(formatEther(shares)));
  await expect(app.preview("stake", "receive")).toContainText(NAMES.wrapped);
  const { wstFTM } = chain();
  await expectGas(page, "stake-preview-gas", await gasCost(holder, wstFTM.address, wstFTM.abi, "stakeAndWrap", [holder], amount));
  await expect(page.getByTestId("stake-submit")).toHaveText("Stake and wrap");

  // A stake and wrap really gives about that many wstS: a little fewer, as the rate has grown in the seconds
  // since (the devnet's rewards vest into it every second), and the form keeps its choice for the next stake.
  const wstBefore = (await wstFTM.read.balanceOf([holder])) as bigint;
  await page.getByTestId("stake-submit").click();
  await app.confirmed("Stake and wrap");
  const gotWst = ((await wstFTM.read.balanceOf([holder])) as bigint) - wstBefore;
  expect(gotWst).toBeLessThanOrEqual(shares);
  expect(Number(shares - gotWst) / Number(shares)).toBeLessThan(1e-3);
  await expect(page.getByTestId("stake-wrap")).toBeChecked();
  await expect(page.getByTestId("stake-submit")).toHaveText("Stake and wrap");
});

test("the unstake forms preview what a withdrawal pays, when, and its gas", async ({ page }) => {
  const { record, stFTM, wstFTM, queue } = chain();
  const holder = record.accounts.holders[1] as Address;
  const app = await stakePageAs(page, holder);
  await app.stake("20"); // fresh idle liquidity: a small request is paid by the next round

  await page.getByTestId("request-amount").fill("3");
  await expect(app.preview("request", "receive")).toHaveText(`≈ 3 ${NAMES.native}`);
  await expect(app.preview("request", "payout")).toHaveText(await expectedPayout(parseEther("3")));
  await expectGas(page, "request-preview-gas", await gasCost(holder, queue.address, queue.abi, "requestWithdrawal", [parseEther("3"), holder]));

  // The whole balance: paid from idle liquidity if it covers it, else after the withdrawal period.
  const whole = (await stFTM.read.balanceOf([holder])) as bigint;
  await page.getByTestId("request-amount").fill(formatEther(whole));
  await expect(app.preview("request", "receive")).toHaveText(`≈ ${formatAmount(whole)} ${NAMES.native}`);
  await expect(app.preview("request", "payout")).toHaveText(await expectedPayout(whole));

  // wstS is worth stFTMPerToken each; its request needs an approval first, so its gas is estimated after it.
  const wst = (await wstFTM.read.balanceOf([holder])) as bigint;
  expect(wst, "the holder has wstS from the stake and wrap above or the devnet's seed").toBeGreaterThan(0n);
  const some = wst / 2n;
  await page.getByTestId("request-wrapped-amount").fill(formatEther(some));
  const value = (some * ((await wstFTM.read.stFTMPerToken()) as bigint)) / 10n ** 18n;
  await expect(app.preview("request-wrapped", "receive")).toHaveText(`≈ ${formatAmount(value)} ${NAMES.native}`);
  await expect(app.preview("request-wrapped", "payout")).toHaveText(await expectedPayout(value));
  const allowance = (await wstFTM.read.allowance([holder, queue.address])) as bigint;
  if (allowance < some) await expect(app.preview("request-wrapped", "gas")).toHaveText(`— (the request asks for a ${NAMES.wrapped} approval first; estimated after it)`);
  else await expectGas(page, "request-wrapped-preview-gas", await gasCost(holder, queue.address, queue.abi, "requestWithdrawalWrapped", [some, holder]));
});

test("every form says what to fix in one sentence before the wallet opens", async ({ page }) => {
  const { record, stFTM, wstFTM, publicClient } = chain();
  const holder = record.accounts.holders[1] as Address;
  const app = await stakePageAs(page, holder);
  const nonce = await publicClient.getTransactionCount({ address: holder });
  const cases: [string, string][] = [
    ["-1", "Enter an amount above zero, without a minus sign."],
    ["0", "Enter an amount above zero."],
    ["abc", "Enter a number such as 1.5: digits and at most one decimal point."],
    ["1,5", "Use a point for decimals, as in 1.5."],
    ["1.0000000000000000001", `${NAMES.native} has 18 decimal places: use at most 18 digits after the point.`],
  ];
  for (const [typed, sentence] of cases) {
    await app.submitAmount("stake", typed);
    await expect(app.formError("stake")).toHaveText(sentence);
  }
  const native = await publicClient.getBalance({ address: holder });
  await app.submitAmount("stake", formatEther(native + parseEther("1")));
  await expect(app.formError("stake")).toHaveText(`You have ${formatEther(native)} ${NAMES.native}: enter at most that.`);
  // Staking the whole native balance is allowed but warned about: nothing would be left for gas.
  await page.getByTestId("stake-amount").fill(formatEther(native));
  await expect(app.formError("stake")).toHaveCount(0);
  await expect(page.getByTestId("stake-warning")).toHaveText(
    `This leaves less than 0.01 ${NAMES.native} for gas, so this or your next transaction may fail: stake at most ${formatEther(native - parseEther("0.01"))} ${NAMES.native} (Max does).`,
  );
  await page.getByTestId("stake-amount").fill("");

  const st = (await stFTM.read.balanceOf([holder])) as bigint;
  await app.submitAmount("request", formatEther(st + parseEther("1")));
  await expect(app.formError("request")).toHaveText(`You have ${formatEther(st)} ${NAMES.staked}: enter at most that.`);
  await app.submitAmount("request-wrapped", "0.1234567890123456789");
  await expect(app.formError("request-wrapped")).toHaveText(`${NAMES.wrapped} has 18 decimal places: use at most 18 digits after the point.`);
  const wst = (await wstFTM.read.balanceOf([holder])) as bigint;
  await app.submitAmount("unwrap", formatEther(wst + 1n));
  await expect(app.formError("unwrap")).toHaveText(`You have ${formatEther(wst)} ${NAMES.wrapped}: enter at most that.`);
  await app.submitAmount("wrap", "-0.5");
  await expect(app.formError("wrap")).toHaveText("Enter an amount above zero, without a minus sign.");

  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0); // no wallet was asked
  expect(await publicClient.getTransactionCount({ address: holder })).toBe(nonce);
});

test("the local wallet cannot add tokens and says to add the address by hand, which the copy button copies", async ({ page, context }) => {
  const { record, stFTM, wstFTM } = chain();
  const app = await stakePageAs(page, record.accounts.holders[1] as Address);
  await expect(page.getByTestId("token-staked-address")).toHaveText(stFTM.address, { ignoreCase: true });
  await expect(page.getByTestId("token-wrapped-address")).toHaveText(wstFTM.address, { ignoreCase: true });
  await page.getByTestId("token-staked-watch").click();
  const symbol = (await stFTM.read.symbol()) as string;
  await expect(page.getByTestId("token-staked-watch-result")).toHaveText(new RegExp(`^This wallet cannot add tokens; add ${stFTM.address} by hand \\(${symbol}, 18 decimals\\)\\.$`, "i"));

  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: APP_URL });
  await page.getByTestId("token-wrapped-copy").click();
  await expect(page.getByTestId("token-wrapped-copy")).toHaveText("Copied");
  expect((await page.evaluate(() => navigator.clipboard.readText())).toLowerCase()).toBe(wstFTM.address.toLowerCase());
});

test("a wallet that keeps a token list is asked to add the token with its address, symbol and 18 decimals", async ({ page }) => {
  const { record, wstFTM } = chain();
  await page.addInitScript(injectWallet, { account: record.accounts.holders[1], rpcUrl: RPC_URL, chainId: "0x7a69", listsTokens: true });
  const app = new StakePage(page);
  await app.goto();
  await page.getByRole("button", { name: "Connect Wallet" }).click();
  await page.getByRole("button", { name: /Browser Wallet|Injected Wallet/i }).click();
  const symbol = (await wstFTM.read.symbol()) as string;
  await page.getByTestId("token-wrapped-watch").click();
  await expect(page.getByTestId("token-wrapped-watch-result")).toHaveText(`Your wallet now lists ${symbol}.`);
  const asked = (await page.evaluate(() => (window as unknown as { watchedAssets: unknown }).watchedAssets)) as WatchedAssets;
  expect(asked).toHaveLength(1);
  expect(asked[0].type).toBe("ERC20");
  expect(asked[0].options.address.toLowerCase()).toBe(wstFTM.address.toLowerCase());
  expect(asked[0].options.symbol).toBe(symbol);
  expect(asked[0].options.decimals).toBe(Number(await wstFTM.read.decimals()));
});

test("the holder's history lists a stake, a request, receipts received and sent and a claim, newest first", async ({ page }) => {
  const { record, pool, queue } = chain();
  const holder = record.accounts.holders[3] as Address;
  const friend = record.accounts.holders[0] as Address;
  const app = await stakePageAs(page, holder);

  await app.stake("2");
  await app.requestWithdrawal("1");
  const mine = (await queue.read.requestsOf([holder, 0n, 1000n])) as readonly bigint[];
  const requested = mine.reduce((a, b) => (a > b ? a : b));
  expect(((await queue.read.requestStatus([requested])) as { amount: bigint }).amount).toBe(parseEther("1"));

  // The friend requests and hands the receipt over; the holder sends its own receipt to the friend.
  await send(friend, pool.address, pool.abi, "stake", [friend], parseEther("2"));
  await send(friend, queue.address, queue.abi, "requestWithdrawal", [parseEther("1"), friend]);
  const friends = (await queue.read.requestsOf([friend, 0n, 1000n])) as readonly bigint[];
  const received = friends.reduce((a, b) => (a > b ? a : b));
  await send(friend, queue.address, queue.abi, "transferFrom", [friend, holder, received]);
  await send(holder, queue.address, queue.abi, "transferFrom", [holder, friend, requested]);

  // A round pays the received receipt (after the withdrawal period if idle does not cover what comes before it).
  await runKeeperRound();
  if (((await queue.read.requestStatus([received])) as { status: number }).status !== RequestStatus.Finalised) {
    await letWithdrawalPeriodPass();
    await runKeeperRound();
  }
  const paid = (await queue.read.requestStatus([received])) as { status: number; finalisedAmount: bigint };
  expect(paid.status).toBe(RequestStatus.Finalised);
  await page.reload();
  await app.claimReady();

  const rows = page.getByTestId("account-history-table").locator("tbody tr");
  const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
  const expected = [
    ["history-claim", `Withdrawal #${received} claimed`, `${formatAmount(paid.finalisedAmount)} ${NAMES.native}`],
    ["history-receipt-out", `Receipt #${requested} sent (to ${short(friend)})`, `1 ${NAMES.native}`],
    ["history-receipt-in", `Receipt #${received} received (from ${short(friend)})`, `1 ${NAMES.native}`],
    ["history-request", `Withdrawal #${requested} requested`, `1 ${NAMES.native}`],
    ["history-stake", "Stake", `2 ${NAMES.native}`],
  ] as const;
  // The indexer follows a few blocks behind and the panel asks it every 15 s.
  await expect(rows.first()).toHaveAttribute("data-testid", "history-claim", { timeout: 60_000 });
  for (const [i, [testId, what, amount]] of expected.entries()) {
    await expect(rows.nth(i)).toHaveAttribute("data-testid", testId);
    await expect(rows.nth(i)).toContainText(what, { ignoreCase: true });
    await expect(rows.nth(i)).toContainText(amount);
  }
  expect(await rows.count()).toBeLessThanOrEqual(10);
});

test("with the indexer down, the APR and the holder's history say history is unavailable, and the forms still work", async ({ page }) => {
  const { record } = chain();
  await page.route(`${INDEXER_URL}/**`, (route) => route.abort());
  const app = new StakePage(page);
  await app.open("/");
  await expect(page.getByTestId("apr-unavailable")).toContainText(HISTORY_UNAVAILABLE, { timeout: 20_000 });
  await expect(page.getByTestId("apr")).toHaveText("unavailable");
  await app.goto();
  await app.connectLocal(record.accounts.holders[1] as Address);
  await expect(page.getByTestId("account-history-unavailable")).toHaveText(HISTORY_UNAVAILABLE, { timeout: 20_000 });
  await page.getByTestId("stake-amount").fill("1");
  await expect(app.preview("stake", "receive")).toContainText(NAMES.staked);
});
