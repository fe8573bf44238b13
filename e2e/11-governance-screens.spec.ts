import { expect, test, type Page } from "@playwright/test";
import { encodeFunctionData, getAddress, type Address } from "viem";
import { GovernorCountingSimpleVoteType as Vote } from "../shared/protocol.generated";
import { formatAmount, formatCountdown, shortAddress } from "../app/lib/format";
import { quorumPercent, sharePercent, tallyOf } from "../app/lib/governance";
import { HISTORY_UNAVAILABLE } from "../app/lib/history";
import { chain, increaseTime, indexerCaughtUp, send, shownDate } from "./chain";
import { INDEXER_URL, NAMES } from "./env";
import { AppPage } from "./pages/AppPage";
import { ProposalPage } from "./pages/ProposalPage";

// The governance screens a Tally user expects, checked against what the governor and wstFTM hold (read
// here) and what the indexer recorded (the reasons this test voted with).

type Votes = readonly [bigint, bigint, bigint];
const SIDES = ["against", "for", "abstain"] as const;

async function chainNow() {
  return (await chain().publicClient.getBlock()).timestamp;
}

async function blockTime(blockNumber: bigint) {
  return (await chain().publicClient.getBlock({ blockNumber })).timestamp;
}

/** When `voter`'s vote on `id` was mined, from the governor's VoteCast log. */
async function voteTime(id: bigint, voter: Address) {
  const { governor, publicClient } = chain();
  const logs = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "VoteCast", args: { voter } as never, fromBlock: 0n });
  const log = logs.find((l) => (l as unknown as { args: { proposalId: bigint } }).args.proposalId === id)!;
  return blockTime(log.blockNumber);
}

/** The vote bars show each side's share of the votes cast and its amount, as proposalVotes has them. */
async function expectTally(page: Page, votes: Votes) {
  const tally = tallyOf(votes);
  const cast = tally.for + tally.against + tally.abstain;
  for (const side of SIDES) {
    await expect(page.getByTestId(`votes-${side}-share`)).toHaveText(`${sharePercent(tally[side], cast)} %`);
    await expect(page.getByTestId(`votes-${side}`)).toHaveText(`${formatAmount(tally[side])} ${NAMES.wrapped}`);
  }
}

async function expectQuorum(page: Page, votes: Votes, quorum: bigint) {
  const percent = quorumPercent(tallyOf(votes), quorum);
  await expect(page.getByTestId("quorum-percent")).toHaveText(percent >= 100 ? `Quorum reached (${percent} %)` : `${percent} % of quorum`);
  await expect(page.getByTestId("quorum-needed")).toHaveText(`${formatAmount(quorum)} ${NAMES.wrapped}`);
}

/** One step of the timeline: whether it happened and the date it shows. */
async function expectStep(page: Page, label: string, done: boolean, date: string) {
  const step = page.getByTestId("timeline-step").filter({ hasText: label });
  await expect(step).toHaveAttribute("data-done", String(done));
  await expect(step.getByTestId("timeline-date")).toHaveText(date);
}

test("a proposal's page shows its votes, quorum, countdown, timeline, voters with reasons and your own vote", async ({ page }) => {
  test.setTimeout(300_000);
  const { record, governor, pool, publicClient } = chain();
  const [proposer, voter, against, abstainer] = record.accounts.holders as Address[];
  const g = governor.read;

  // A harmless proposal (the fee it sets is the fee the pool already takes), proposed on the chain.
  const fee = (await pool.read.feeBps()) as bigint;
  const description = `Keep the protocol fee at ${Number(fee) / 100} %\n\nA proposal for the governance screens check.`;
  const args = [[pool.address], [0n], [encodeFunctionData({ abi: pool.abi, functionName: "setFeeBps", args: [fee] } as never)], description] as const;
  const id = (await publicClient.simulateContract({ account: proposer, address: governor.address, abi: governor.abi, functionName: "propose", args })).result as bigint;
  const created = await blockTime((await send(proposer, governor.address, governor.abi, "propose", args)).blockNumber);
  const [snapshot, deadline] = [(await g.proposalSnapshot([id])) as bigint, (await g.proposalDeadline([id])) as bigint];
  await indexerCaughtUp();

  const app = new ProposalPage(page);
  await app.goto(id);
  await app.connectLocal(voter);

  // Pending: the proposer, a countdown to the start of voting from the chain's clock, and the timeline ahead.
  await expect(page.getByTestId("proposal-state")).toHaveText("Pending");
  await expect(page.getByTestId("proposal-proposer")).toHaveText((await g.proposalProposer([id])) as string);
  await expect(page.getByTestId("proposal-countdown")).toContainText(`voting starts in ${formatCountdown(snapshot - (await chainNow()) + 1n)}`);
  await expect(page.getByTestId("quorum")).toContainText("The quorum is fixed when voting opens");
  await expectStep(page, "Created", true, shownDate(created));
  await expectStep(page, "Voting opens", false, shownDate(snapshot));
  await expectStep(page, "Voting ends", false, shownDate(deadline));
  await expectStep(page, "Executed", false, "not yet");
  await expect(page.getByTestId("voters-empty")).toBeVisible();

  // Active: the countdown to the end of voting, no votes yet, 0 % of the quorum at the snapshot.
  await increaseTime(Number(await g.votingDelay()) + 1);
  await page.reload();
  await expect(page.getByTestId("proposal-state")).toHaveText("Active");
  await expect(page.getByTestId("proposal-countdown")).toContainText(`voting ends in ${formatCountdown(deadline - (await chainNow()) + 1n)}`);
  const quorum = (await g.quorum([snapshot])) as bigint;
  await expectQuorum(page, [0n, 0n, 0n], quorum);
  await expectStep(page, "Voting opened", true, shownDate(snapshot));

  // Three holders vote: one abstains without a reason and one votes against with a reason (on the chain),
  // then the connected holder votes for with a reason in the page.
  const againstReason = "The fee is fine as it is, but this vote changes nothing.";
  const forReason = "Checks the screens; keeps the fee where it is";
  await send(abstainer, governor.address, governor.abi, "castVote", [id, Vote.Abstain]);
  await page.reload();
  await expectTally(page, (await g.proposalVotes([id])) as Votes);
  await expectQuorum(page, (await g.proposalVotes([id])) as Votes, quorum);
  await send(against, governor.address, governor.abi, "castVoteWithReason", [id, Vote.Against, againstReason]);
  await app.vote("for", forReason);
  const votes = (await g.proposalVotes([id])) as Votes;
  await expectTally(page, votes);
  await expectQuorum(page, votes, quorum);

  // The indexer holds the three votes with the reasons given; the page lists them with their weights and dates.
  await expect.poll(async () => ((await (await fetch(`${INDEXER_URL}/history/proposals/${id}`)).json()) as { votes?: unknown[] }).votes?.length ?? 0, { timeout: 60_000 }).toBe(3);
  const indexed = (await (await fetch(`${INDEXER_URL}/history/proposals/${id}`)).json()) as { votes: { voter: string; reason: string }[] };
  const reasonOf = (a: Address) => indexed.votes.find((v) => v.voter.toLowerCase() === a.toLowerCase())?.reason;
  expect(reasonOf(voter)).toBe(forReason);
  expect(reasonOf(against)).toBe(againstReason);
  expect(reasonOf(abstainer)).toBe("");
  for (const [who, support, reason] of [[voter, "For", forReason], [against, "Against", againstReason], [abstainer, "Abstain", "No reason given."]] as const) {
    const row = page.getByTestId(`voter-${who.toLowerCase()}`);
    const weight = (await g.getVotes([who, snapshot])) as bigint;
    await expect(row.getByTestId("voter-support")).toHaveText(support);
    await expect(row.getByTestId("voter-weight")).toHaveText(`${formatAmount(weight)} ${NAMES.wrapped}`);
    await expect(row.getByTestId("voter-date")).toHaveText(shownDate(await voteTime(id, who)));
    await expect(row).toContainText(reason);
  }

  // The connected holder's own vote: counted by the governor, and how it voted from the indexer.
  expect(await g.hasVoted([id, voter])).toBe(true);
  const myWeight = (await g.getVotes([voter, snapshot])) as bigint;
  await expect(page.getByTestId("your-vote")).toHaveText(`You voted For with ${formatAmount(myWeight)} ${NAMES.wrapped}: ${forReason}`);

  // The proposals list shows the same shares and quorum in the proposal's row.
  await app.open("/governance");
  const tally = tallyOf(votes);
  await expect(page.getByTestId(`proposal-${id}-summary`)).toContainText(`For ${sharePercent(tally.for, tally.for + tally.against + tally.abstain)} %`);
  await expect(page.getByTestId(`proposal-${id}-quorum`)).toHaveText(`${quorumPercent(tally, quorum)} % of quorum`);

  // After the deadline (the governor's, extended if quorum came late): Succeeded, then queued in the page
  // with a countdown to the timelock's eta.
  const finalDeadline = (await g.proposalDeadline([id])) as bigint;
  await increaseTime(Number(finalDeadline - (await chainNow())) + 1);
  await app.goto(id);
  await expect(page.getByTestId("proposal-state")).toHaveText("Succeeded");
  await expectStep(page, "Succeeded", true, shownDate(finalDeadline));
  await app.primary("Queue");
  await expect(page.getByTestId("proposal-state")).toHaveText("Queued");
  const eta = (await g.proposalEta([id])) as bigint;
  await expect(page.getByTestId("proposal-countdown")).toContainText(`executable in ${formatCountdown(eta - (await chainNow()))}`);
  const minDelay = (await publicClient.readContract({ address: record.contracts.timelock, abi: [{ type: "function", name: "getMinDelay", inputs: [], outputs: [{ type: "uint256" }], stateMutability: "view" }], functionName: "getMinDelay" })) as bigint;
  await expectStep(page, "Queued", true, shownDate(eta - minDelay)); // queued at eta − the timelock's delay
  await expectStep(page, "Executable", false, shownDate(eta));

  // Executable, executed: every step dated.
  await increaseTime(Number(eta - (await chainNow())) + 1);
  await page.reload();
  await expect(page.getByTestId("proposal-countdown")).toHaveText("· executable now");
  await app.primary("Execute");
  await expect(page.getByTestId("proposal-state")).toHaveText("Executed");
  const [executedLog] = await publicClient.getContractEvents({ address: governor.address, abi: governor.abi, eventName: "ProposalExecuted", fromBlock: (await publicClient.getBlockNumber()) - 5n });
  expect((executedLog as unknown as { args: { proposalId: bigint } }).args.proposalId).toBe(id);
  await expectStep(page, "Executable", true, shownDate(eta));
  await expectStep(page, "Executed", true, shownDate(await blockTime(executedLog.blockNumber)));
  await expect(page.getByTestId("proposal-countdown")).toHaveCount(0);
  await expect(page.getByTestId("your-vote")).toContainText(`You voted For with ${formatAmount(myWeight)} ${NAMES.wrapped}`);

  // A phone's width: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("timeline")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Without the indexer, the history parts say so and what the RPC reads still shows.
  await page.route(`${INDEXER_URL}/**`, (r) => r.abort());
  await page.reload();
  await expect(page.getByTestId("proposal-voters").getByTestId("history-unavailable")).toHaveText(HISTORY_UNAVAILABLE, { timeout: 10_000 });
  await expect(page.getByTestId("proposal-summary").getByTestId("history-unavailable")).toHaveText(HISTORY_UNAVAILABLE);
  await expect(page.getByTestId("timeline-unavailable")).toHaveText(HISTORY_UNAVAILABLE);
  await expect(page.getByTestId("proposal-state")).toHaveText("Executed");
  await expectTally(page, votes);
  await expectQuorum(page, votes, quorum);
  await expectStep(page, "Executable", true, shownDate(eta));
  await expectStep(page, "Created", true, "date not known");
  await expect(page.getByTestId("your-vote")).toContainText(`You voted with ${formatAmount(myWeight)} ${NAMES.wrapped}. ${HISTORY_UNAVAILABLE}`);
});

test("the delegates page lists voting power as wstFTM counts it, highlights your delegate and delegates from a row", async ({ page }) => {
  const { record, wstFTM } = chain();
  const [, , , holder] = record.accounts.holders as Address[];
  const w = wstFTM.read;
  const friend = record.accounts.holders[1] as Address;
  expect(((await w.delegates([holder])) as string).toLowerCase(), "the holder starts delegated to itself").toBe(holder.toLowerCase());
  await indexerCaughtUp();

  const app = new AppPage(page);
  await app.open("/governance");
  await page.getByTestId("delegates-link").click();
  await expect(page).toHaveURL(/\/governance\/delegates$/);
  await app.connectLocal(holder);
  await expect(page.getByTestId("delegates-table")).toBeVisible();

  /** Every listed delegate's power and share is what wstFTM holds now; the rest is the indexer's. */
  async function expectRows() {
    const supply = (await w.totalSupply()) as bigint;
    const indexed = ((await (await fetch(`${INDEXER_URL}/history/delegates`)).json()) as { delegates: { id: string; delegators: number; votesCast: number }[] }).delegates;
    await expect(page.getByTestId("delegates-table").locator("tbody tr")).toHaveCount(indexed.length);
    for (const d of indexed) {
      const row = page.getByTestId(`delegate-${d.id.toLowerCase()}`);
      const power = (await w.getVotes([d.id as Address])) as bigint;
      await expect(row.getByTestId("delegate-power")).toHaveText(`${formatAmount(power)} ${NAMES.wrapped}`);
      await expect(row.getByTestId("delegate-share")).toHaveText(`${sharePercent(power, supply)} %`);
      await expect(row.getByTestId("delegate-delegators")).toHaveText(String(d.delegators));
      await expect(row.getByTestId("delegate-votes-cast")).toHaveText(String(d.votesCast));
    }
    await expect(page.getByTestId("wst-supply")).toHaveText(`${formatAmount(supply, "short")} ${NAMES.wrapped}`);
  }

  await expectRows();
  const own = page.getByTestId(`delegate-${holder.toLowerCase()}`);
  await expect(own).toHaveAttribute("data-yours", "true");
  await expect(own).toContainText("Your delegate");
  await expect(page.getByTestId("your-delegate")).toHaveText(`You delegate to yourself: ${formatAmount((await w.getVotes([holder])) as bigint)} votes are yours to cast.`);
  await expect(own.getByTestId("delegate-to")).toBeDisabled();

  // Delegate to a friend from the friend's row: the chain moves the votes, the page follows.
  const friendBefore = (await w.getVotes([friend])) as bigint;
  const friendRow = page.getByTestId(`delegate-${friend.toLowerCase()}`);
  await friendRow.getByTestId("delegate-to").click();
  await app.confirmed(`Delegate to ${shortAddress(getAddress(friend))}`);
  expect(((await w.delegates([holder])) as string).toLowerCase()).toBe(friend.toLowerCase());
  expect((await w.getVotes([friend])) as bigint).toBe(friendBefore + ((await w.balanceOf([holder])) as bigint));
  await expect(friendRow).toHaveAttribute("data-yours", "true");
  await expect(own).toHaveAttribute("data-yours", "false");
  await expect(page.getByTestId("your-delegate")).toContainText(new RegExp(`You delegate to ${friend}: your ${formatAmount((await w.balanceOf([holder])) as bigint)} ${NAMES.wrapped} count as its votes`, "i"));
  await expect.poll(async () => {
    const indexed = ((await (await fetch(`${INDEXER_URL}/history/delegates`)).json()) as { delegates: { id: string; votingPower: string }[] }).delegates;
    return indexed.find((d) => d.id.toLowerCase() === friend.toLowerCase())?.votingPower;
  }, { timeout: 60_000 }).toBe(String(await w.getVotes([friend])));
  await page.reload();
  await expectRows();

  // And back to itself, as the other journeys expect.
  await own.getByTestId("delegate-to").click();
  await app.confirmed(`Delegate to ${shortAddress(getAddress(holder))}`);
  expect(((await w.delegates([holder])) as string).toLowerCase()).toBe(holder.toLowerCase());
  await expect(own).toHaveAttribute("data-yours", "true");
});
