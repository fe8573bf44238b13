import { expect, test } from "@playwright/test";
import { formatEther, parseEther, type Address } from "viem";
import { IGovernorProposalState as ProposalState, WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated";
import { chain, increaseTime, letWithdrawalPeriodPass, receiptsOf, requestStatus, runKeeperRound, sealEpoch, send, shownDate, withdrawalTerms } from "./chain";
import { StakePage } from "./pages/StakePage";
import { NAMES, WITHDRAWAL_DAYS } from "./env";
import { ProposalPage } from "./pages/ProposalPage";

test("a holder stakes, earns, wraps, delegates, votes with a reason, unstakes and claims", async ({ page }) => {
  const { record, pool, stFTM, wstFTM, governor, publicClient } = chain();
  const holder = record.accounts.holders[3] as Address;
  const app = new StakePage(page);

  // Stake 100 FTM.
  await app.goto();
  await app.connectLocal(holder);
  // The stake books the rewards vested since the last booking first, so the holder's earlier stFTM grows
  // too: the new shares are what is worth 100 FTM at the rate of that booking.
  const sharesBefore = (await stFTM.read.sharesOf([holder])) as bigint;
  await app.stake("100");
  const minted = (await stFTM.read.amountForShares([((await stFTM.read.sharesOf([holder])) as bigint) - sharesBefore])) as bigint;
  expect(minted).toBeGreaterThanOrEqual(parseEther("100") - 2n); // rounding favours the pool
  expect(minted).toBeLessThanOrEqual(parseEther("100"));
  const stAfterStake = (await stFTM.read.balanceOf([holder])) as bigint;
  await expect.poll(async () => Math.abs((await app.amount("st-balance")) - Number(formatEther(stAfterStake)))).toBeLessThan(0.001);

  // An epoch with rewards, harvested by the keeper, vests into the rate: ten minutes and a booking later
  // the stFTM balance has grown on the chain and on the page.
  const shownBefore = await app.amount("st-balance");
  await runKeeperRound();
  await sealEpoch("50");
  await runKeeperRound();
  await increaseTime(600);
  await runKeeperRound();
  const stAfterRewards = (await stFTM.read.balanceOf([holder])) as bigint;
  expect(stAfterRewards).toBeGreaterThan(stAfterStake);
  await page.reload();
  await expect.poll(() => app.amount("st-balance")).toBeGreaterThan(shownBefore);

  // Wrap 40 stFTM into wstFTM (the app asks for the approval first).
  const wstBefore = (await wstFTM.read.balanceOf([holder])) as bigint;
  await app.wrap("40");
  const wstAfter = (await wstFTM.read.balanceOf([holder])) as bigint;
  expect(wstAfter).toBeGreaterThan(wstBefore);
  await expect.poll(async () => Math.abs((await app.amount("wst-balance")) - Number(formatEther(wstAfter)))).toBeLessThan(0.001);

  // Vote with a reason on the proposal the devnet left active. First, so that its snapshot is settled
  // before this holder moves its votes below (a snapshot between two delegations would count none).
  const count = (await governor.read.proposalCount()) as bigint;
  let activeId: bigint | undefined;
  for (let i = count - 1n; i >= 0n && activeId === undefined; i--) {
    const [id] = (await governor.read.proposalDetailsAt([i])) as readonly [bigint];
    const state = Number(await governor.read.state([id]));
    if (state === ProposalState.Pending) await increaseTime(Number(await governor.read.votingDelay()) + 1);
    if (state === ProposalState.Pending || state === ProposalState.Active) activeId = id;
  }
  expect(activeId, "the devnet leaves one proposal active").toBeDefined();
  const proposal = new ProposalPage(page);
  await proposal.goto(activeId!);
  const [, forBefore] = (await governor.read.proposalVotes([activeId!])) as readonly [bigint, bigint, bigint];
  await proposal.vote("for", "More room for the newer validators spreads the risk");
  expect(await governor.read.hasVoted([activeId!, holder])).toBe(true);
  const [, forAfter] = (await governor.read.proposalVotes([activeId!])) as readonly [bigint, bigint, bigint];
  expect(forAfter).toBeGreaterThan(forBefore); // the votes it held at the snapshot
  const logs = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "VoteCast", args: { voter: holder } as never, fromBlock: 0n });
  expect((logs.at(-1) as unknown as { args: { reason: string } }).args.reason).toBe("More room for the newer validators spreads the risk");
  await expect(page.getByTestId("proposal-primary-action")).toHaveText("You have voted on this proposal.");

  // Delegate votes to a friend, then back to oneself, from the governance page.
  await app.open("/governance");
  const friend = record.accounts.holders[2] as Address;
  await page.getByLabel("Or delegate to").fill(friend);
  await page.getByRole("button", { name: "Delegate", exact: true }).click();
  await app.confirmed("Delegate");
  expect(((await wstFTM.read.delegates([holder])) as string).toLowerCase()).toBe(friend.toLowerCase());
  await page.getByTestId("delegate-self").click();
  await app.confirmed("Delegate to yourself");
  expect(((await wstFTM.read.delegates([holder])) as string).toLowerCase()).toBe(holder.toLowerCase());
  expect((await wstFTM.read.getVotes([holder])) as bigint).toBe(wstAfter);

  // Request a withdrawal of 30 stFTM. The form says when it will be paid; the stake is delegated, so the
  // request waits for the withdrawal period: no request is paid at request time.
  await app.goto();
  await expect(page.getByTestId("payout-note-unstake")).toContainText(`A withdrawal is paid by the next keeper round if the pool has idle ${NAMES.native} to cover it (now:`);
  await expect(page.getByTestId("payout-note-unstake")).toContainText(new RegExp(`otherwise after the ${WITHDRAWAL_DAYS}-day withdrawal period plus at most one round: by \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2}\\.`));
  await expect(page.getByTestId("payout-note-stake")).toContainText(`otherwise after the ${WITHDRAWAL_DAYS}-day withdrawal period plus at most one round: by `);
  const idsBefore = await receiptsOf(holder);
  await app.requestWithdrawal("30");
  const ids = await receiptsOf(holder);
  expect(ids.length).toBe(idsBefore.length + 1);
  const requestId = ids.at(-1)!;
  const request = await requestStatus(requestId);
  expect(request.amount).toBe(parseEther("30"));
  expect(request.status).toBe(RequestStatus.Pending);
  await expect(page.getByTestId(`request-${requestId}-status`)).toHaveText("Pending");
  const [period, grace] = await withdrawalTerms();
  await expect(page.getByTestId(`request-${requestId}-expected`)).toHaveText(`by ${shownDate(Number(request.requestedAt) + period + grace)}`);

  // The keeper undelegates what the request needs; the chain's withdrawal period passes (epochs and
  // time); the next round withdraws it and finalises the request.
  await runKeeperRound();
  expect((await requestStatus(requestId)).status).toBe(RequestStatus.Pending);
  await letWithdrawalPeriodPass();
  await runKeeperRound();
  const finalised = await requestStatus(requestId);
  expect(finalised.status).toBe(RequestStatus.Finalised);
  expect(finalised.finalisedAmount).toBe(parseEther("30")); // fixed in FTM at request time: no slashing here

  // Claim it from the page: the FTM arrives in the wallet.
  const gained = await app.claimReceipt(requestId, holder);
  expect(gained).toBeGreaterThan(parseEther("30") - parseEther("0.01")); // less the claim's gas
  expect(gained).toBeLessThanOrEqual(parseEther("30"));
  await expect(page.getByTestId(`request-${requestId}`)).toHaveCount(0); // a claimed receipt is burnt: it leaves the wallet

  // Fresh stake waits idle until a round delegates it: a request it covers is paid by the next round.
  await app.stake("20");
  await app.requestWithdrawal("10");
  const quickId = (await receiptsOf(holder)).at(-1)!;
  expect((await requestStatus(quickId)).status).toBe(RequestStatus.Pending);
  await expect(page.getByTestId(`request-${quickId}-status`)).toHaveText("Pending");
  await expect(page.getByTestId(`request-${quickId}-expected`)).toHaveText("Next keeper round (idle covers it)");
  await expect(page.getByTestId("claim-submit")).toBeDisabled();
  await runKeeperRound();
  await page.reload();
  await expect(page.getByTestId(`request-${quickId}-status`)).toHaveText("Ready to claim");
  await expect(page.getByTestId(`request-${quickId}-expected`)).toHaveText("Ready now");
  await app.claimReady();
  expect((await requestStatus(quickId)).status).toBe(RequestStatus.Claimed);
  await expect(page.getByTestId(`request-${quickId}`)).toHaveCount(0);
});

test("the withdrawals list shows the newest ten requests and pages back with Show more", async ({ page }) => {
  const { record, queue } = chain();
  const holder = record.accounts.holders[2] as Address;
  const already = Number(await queue.read.balanceOf([holder]));
  for (let i = already; i < 11; i++) await send(holder, queue.address, queue.abi, "requestWithdrawal", [parseEther("1"), holder]);
  const ids = await receiptsOf(holder);
  const app = new StakePage(page);
  await app.goto();
  await app.connectLocal(holder);
  const rows = page.getByTestId("requests-table").locator("tbody tr");
  await expect(rows).toHaveCount(10);
  await expect(rows.first()).toHaveAttribute("data-testid", `request-${ids.at(-1)}`); // newest first
  await expect(page.getByTestId("requests-show-more")).toHaveText(`Show more (10 of ${ids.length} shown)`);
  await page.getByTestId("requests-show-more").click();
  await expect(rows).toHaveCount(Math.min(ids.length, 20));
  await expect(rows.last()).toHaveAttribute("data-testid", `request-${ids[Math.max(0, ids.length - 20)]}`);
});

test("a holder receives a receipt from another wallet, sees it as an NFT, and claims it", async ({ page }) => {
  const { record, pool, queue, publicClient } = chain();
  const sender = record.accounts.holders[0] as Address;
  const receiver = record.accounts.holders[1] as Address;
  await send(sender, pool.address, pool.abi, "stake", [sender], parseEther("5"));
  await send(sender, queue.address, queue.abi, "requestWithdrawal", [parseEther("3"), sender]);
  const id = (await receiptsOf(sender)).at(-1)!;

  // The sender hands the receipt over from its NFT view.
  const app = new StakePage(page);
  await app.goto();
  await app.connectLocal(sender);
  await page.getByTestId(`request-${id}-view`).click();
  await expect(page.getByTestId("receipt-status")).toHaveText("Pending");
  await expect(page.getByTestId("receipt-image")).toBeVisible();
  expect(await page.getByTestId("receipt-image").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await expect(page.getByTestId("receipt-json")).toContainText(`"name": "Withdrawal #${id}"`);
  await page.getByTestId("transfer-to").fill("0x1234");
  await page.getByTestId("transfer-submit").click();
  await expect(page.getByRole("alert").filter({ hasText: "recipient" })).toHaveText("Enter the recipient's address: 0x followed by 40 hexadecimal characters.");
  await page.getByTestId("transfer-to").fill(receiver);
  await page.getByTestId("transfer-submit").click();
  await app.confirmed("Transfer receipt");
  expect(((await queue.read.ownerOf([id])) as string).toLowerCase()).toBe(receiver.toLowerCase());
  await expect(page.getByTestId("receipt-owner")).toHaveText(receiver, { ignoreCase: true });

  // The receiver's withdrawals list shows it; once a round finalises it, the receiver claims it. (Older requests
  // of other journeys come first; when idle FTM does not cover them, the withdrawal period must pass.)
  await runKeeperRound();
  if ((await requestStatus(id)).status !== 2) {
    await letWithdrawalPeriodPass();
    await runKeeperRound();
  }
  expect((await requestStatus(id)).status).toBe(2);
  await app.goto();
  await app.connectLocal(receiver);
  await expect(page.getByTestId(`request-${id}-status`)).toHaveText("Ready to claim");
  await page.getByTestId(`request-${id}-view`).click();
  await expect(page.getByTestId("receipt-status")).toHaveText("Ready to claim");
  const before = await publicClient.getBalance({ address: receiver });
  await page.getByTestId("receipt-claim").click();
  await app.confirmed("Claim");
  const gained = (await publicClient.getBalance({ address: receiver })) - before;
  expect(gained).toBeGreaterThan(parseEther("3") - parseEther("0.01")); // less the claim's gas
  expect(gained).toBeLessThanOrEqual(parseEther("3"));
  expect((await requestStatus(id)).status).toBe(3);
  await expect(page.getByTestId("receipt-status")).toHaveText("Claimed");
  await expect(page.getByTestId("receipt-owner")).toContainText("nobody");
});
