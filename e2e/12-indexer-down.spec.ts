import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, parseEther, type Address } from "viem";
import { chain, letWithdrawalPeriodPass, openProposal, receiptsOf, requestStatus, runKeeperRound } from "./chain";
import { INDEXER_URL } from "./env";
import { StakePage } from "./pages/StakePage";
import { ProposalPage } from "./pages/ProposalPage";
import { HISTORY_UNAVAILABLE } from "../app/lib/history";
import { WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated";

// The indexer serves every history panel; balances and actions come from the RPC. When the indexer does not
// answer, each panel must say so within 10 s (never a spinner forever) and every action must still work.
const WITHIN_MS = 10_000;

/**
 * On the page just opened, within 10 s: each of `panels` (test ids of the history panels' cards) says
 * history is unavailable, so does every other history note on the page, and nothing is left loading.
 */
async function historyUnavailable(page: Page, panels: string[]) {
  const deadline = Date.now() + WITHIN_MS;
  const left = () => Math.max(1, deadline - Date.now());
  for (const panel of panels) await expect(page.getByTestId(panel).getByTestId("history-unavailable")).toBeVisible({ timeout: left() });
  for (const note of await page.getByTestId("history-unavailable").all()) await expect(note).toHaveText(HISTORY_UNAVAILABLE, { timeout: left() });
  await expect(page.getByText(/Loading/)).toHaveCount(0, { timeout: left() });
}

test("with the indexer refusing every request, a holder stakes, withdraws, claims and votes, and every history panel says history is unavailable", async ({ page }) => {
  const { record, pool, stFTM, governor } = chain();
  const holder = record.accounts.holders[1] as Address;
  await page.route(`${INDEXER_URL}/**`, (route) => route.abort("connectionrefused"));
  const app = new StakePage(page);

  // The overview: the rate chart and the APR, both from the indexer's rate history.
  await app.open("/");
  await app.connectLocal(holder);
  await historyUnavailable(page, ["rate-history"]);
  await expect(page.getByTestId("apr")).toHaveText("history unavailable");
  await expect(page.getByTestId("tvl")).not.toContainText("…"); // the RPC's figures are there

  // Stake: the shares arrive on the chain and the page shows the new balance.
  await app.goto();
  await expect(page.getByText(/Loading/)).toHaveCount(0, { timeout: WITHIN_MS });
  const sharesBefore = (await stFTM.read.sharesOf([holder])) as bigint;
  await app.stake("10");
  const minted = (await stFTM.read.amountForShares([((await stFTM.read.sharesOf([holder])) as bigint) - sharesBefore])) as bigint;
  expect(minted).toBeGreaterThanOrEqual(parseEther("10") - 2n);
  expect(minted).toBeLessThanOrEqual(parseEther("10"));

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
  await proposal.goto(proposalId);
  await historyUnavailable(page, ["proposal-summary"]);
  const snapshot = (await governor.read.proposalSnapshot([proposalId])) as bigint;
  const weight = (await governor.read.getVotes([holder, snapshot])) as bigint;
  expect(weight).toBeGreaterThan(0n);
  const [, forBefore] = (await governor.read.proposalVotes([proposalId])) as readonly [bigint, bigint, bigint];
  await proposal.vote("for", "Counted without the indexer");
  expect(await governor.read.hasVoted([proposalId, holder])).toBe(true);
  const [, forAfter] = (await governor.read.proposalVotes([proposalId])) as readonly [bigint, bigint, bigint];
  expect(forAfter - forBefore).toBe(weight);

  // The operator's past rounds, the set's stake over time and one validator's history.
  await app.open("/operator");
  await historyUnavailable(page, ["rounds-history"]);
  await app.open("/validators");
  await expect(page.getByTestId("validators-table")).toBeVisible();
  await historyUnavailable(page, ["validator-set"]);
  await expect(page.locator('[data-testid$="-sparkline"]')).toHaveCount(0);
  const [ids] = (await chain().registry.read.targets()) as readonly [readonly bigint[]];
  await app.open(`/validators/${ids[0]}`);
  await expect(page.getByTestId("validator-detail")).toBeVisible();
  await historyUnavailable(page, ["validator-history"]);
});

test("with the indexer accepting requests and never answering, the history panels give up within 10 s", async ({ page }) => {
  await page.route(`${INDEXER_URL}/**`, () => undefined); // neither answered nor refused
  const app = new StakePage(page);
  for (const [path, panel] of [["/", "rate-history"], ["/operator", "rounds-history"]]) {
    await app.open(path);
    await historyUnavailable(page, [panel]);
  }
});
