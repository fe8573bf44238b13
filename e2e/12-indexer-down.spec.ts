import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, formatEther, parseEther, type Address } from "viem";
import { chain, letWithdrawalPeriodPass, openProposal, receiptsOf, requestStatus, runKeeperRound } from "./chain";
import { INDEXER_URL } from "./env";
import { AppPage } from "./pages/AppPage";
import { StakePage } from "./pages/StakePage";
import { ProposalPage } from "./pages/ProposalPage";
import { HISTORY_UNAVAILABLE } from "../app/lib/history";
import { WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated";

// The indexer serves every history panel; balances and actions come from the RPC. When the indexer does not
// answer, each panel must say so within 10 s (never a spinner forever) and every action must still work.
const WITHIN_MS = 10_000;

/**
 * Opens `path` with the indexer down. Within 10 s of the app's first request to the indexer (a loaded machine
 * may take longer than that to start the page's code at all), each of `panels`, the test ids of its history
 * panels, says that history is unavailable and is no longer loading. Every other history note on the page
 * says the same, and once the RPC's figures are in nothing on the page is still loading.
 */
async function openWithoutHistory(app: AppPage, path: string, panels: string[]) {
  const page = app.page;
  const asked = page.waitForRequest((r) => r.url().startsWith(INDEXER_URL), { timeout: 60_000 });
  await app.open(path);
  await asked;
  const deadline = Date.now() + WITHIN_MS;
  const left = () => Math.max(1, deadline - Date.now());
  for (const panel of panels) {
    await expect(page.getByTestId(panel).getByTestId("history-unavailable")).toBeVisible({ timeout: left() });
    await expect(page.getByTestId(panel).getByText(/Loading/)).toHaveCount(0, { timeout: left() });
  }
  for (const note of await page.getByTestId("history-unavailable").all()) await expect(note).toHaveText(HISTORY_UNAVAILABLE);
  await expect(page.getByText(/Loading/)).toHaveCount(0);
}

test("with the indexer refusing every request, a holder stakes, withdraws, claims and votes, and every history panel says history is unavailable", async ({ page }) => {
  const { record, pool, stFTM, governor } = chain();
  const holder = record.accounts.holders[1] as Address;
  await page.route(`${INDEXER_URL}/**`, (route) => route.abort("connectionrefused"));
  const app = new StakePage(page);

  // The overview: the rate chart and the APR, both from the indexer's rate history.
  await openWithoutHistory(app, "/", ["rate-history"]);
  await app.connectLocal(holder);
  await expect(page.getByTestId("apr")).toHaveText("history unavailable");
  await expect(page.getByTestId("tvl")).not.toContainText("…"); // the RPC's figures are there

  // Stake: the shares arrive on the chain and the page shows the new balance.
  await app.goto();
  await expect(page.getByText(/Loading/)).toHaveCount(0);
  const sharesBefore = (await stFTM.read.sharesOf([holder])) as bigint;
  await app.stake("10");
  const minted = (await stFTM.read.amountForShares([((await stFTM.read.sharesOf([holder])) as bigint) - sharesBefore])) as bigint;
  expect(minted).toBeGreaterThanOrEqual(parseEther("10") - 2n);
  expect(minted).toBeLessThanOrEqual(parseEther("10"));
  const balance = (await stFTM.read.balanceOf([holder])) as bigint;
  await expect.poll(async () => Math.abs((await app.amount("st-balance")) - Number(formatEther(balance)))).toBeLessThan(0.001);

  // Request a withdrawal: a receipt for 4 stS, pending until a round finalises it.
  const before = await receiptsOf(holder);
  await app.requestWithdrawal("4");
  const id = (await receiptsOf(holder)).at(-1)!;
  expect(before).not.toContain(id);
  expect((await requestStatus(id)).amount).toBe(parseEther("4"));
  await expect(page.getByTestId(`request-${id}-status`)).toHaveText("Pending");
  // The stake just made is idle and pays it in the next round, unless older requests come first.
  await runKeeperRound();
  if ((await requestStatus(id)).status !== RequestStatus.Finalised) {
    await letWithdrawalPeriodPass();
    await runKeeperRound();
  }
  expect((await requestStatus(id)).status).toBe(RequestStatus.Finalised);

  // Claim it from the page: the receipt is burnt and the native currency arrives.
  const gained = await app.claimReceipt(id, holder);
  expect(gained).toBeGreaterThan(parseEther("4") - parseEther("0.01")); // less the claim's gas
  expect(gained).toBeLessThanOrEqual(parseEther("4"));

  // Vote on a fresh proposal: its description is only in the indexer, the vote goes through the RPC.
  const data = encodeFunctionData({ abi: pool.abi, functionName: "setFeeBps", args: [900n] } as never);
  const { id: proposalId } = await openProposal([{ target: pool.address, data }], `Lower the fee to 9 % (indexer down, e2e ${Date.now()})`);
  const proposal = new ProposalPage(page);
  await openWithoutHistory(proposal, `/governance/${proposalId}`, ["proposal-summary"]);
  const snapshot = (await governor.read.proposalSnapshot([proposalId])) as bigint;
  const weight = (await governor.read.getVotes([holder, snapshot])) as bigint;
  expect(weight).toBeGreaterThan(0n);
  const [, forBefore] = (await governor.read.proposalVotes([proposalId])) as readonly [bigint, bigint, bigint];
  await proposal.vote("for", "Counted without the indexer");
  expect(await governor.read.hasVoted([proposalId, holder])).toBe(true);
  const [, forAfter] = (await governor.read.proposalVotes([proposalId])) as readonly [bigint, bigint, bigint];
  expect(forAfter - forBefore).toBe(weight);

  // The operator's past rounds, the set's stake over time and one validator's history.
  await openWithoutHistory(app, "/operator", ["rounds-history"]);
  await openWithoutHistory(app, "/validators", ["validator-set"]);
  await expect(page.getByTestId("validators-table")).toBeVisible();
  await expect(page.locator('[data-testid$="-sparkline"]')).toHaveCount(0);
  const [ids] = (await chain().registry.read.targets()) as readonly [readonly bigint[]];
  await openWithoutHistory(app, `/validators/${ids[0]}`, ["validator-history"]);
  await expect(page.getByTestId("validator-detail")).toBeVisible();
});

test("with the indexer accepting requests and never answering, the history panels give up within 10 s", async ({ page }) => {
  await page.route(`${INDEXER_URL}/**`, () => undefined); // neither answered nor refused
  const app = new StakePage(page);
  for (const [path, panel] of [["/", "rate-history"], ["/operator", "rounds-history"]]) await openWithoutHistory(app, path, [panel]);
});
